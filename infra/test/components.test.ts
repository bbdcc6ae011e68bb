import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { installMocks, ofType, outputOf } from './helpers/pulumiMocks';
import { makeFixtures } from './helpers/fixtures';
import { checkPolicies, formatViolations, plain } from '../policy/rules';
import { MlWorkspace } from '../components/mlWorkspace';
import { ComputeInstance, dailyCron, idleShutdownDuration } from '../components/computeInstance';
import { GestureData } from '../components/gestureData';
import { ModelRegistration } from '../components/modelRegistration';
import { InferenceApp, PLATFORM_SETTINGS, packageBlobName } from '../components/inferenceApp';
import { GithubDeployment, constrainedRoleCondition } from '../components/githubDeployment';
import { readModelFolder } from '../../azureml/src/registry/modelFolder';
import { stackNames } from '../naming';
import { BUILT_IN_ROLES } from '../roles';
import { blobNameFor } from '../../datasync/src/blobNames';

const mocks = installMocks();
const tags = { owner: 'jdoe42', course: 'techin515', expiresOn: '2026-06-30', managedBy: 'pulumi:wandcloud/dev' };
const names = stackNames('jdoe42', 'dev');

async function settle() {
  const records = await mocks.settled();
  const violations = checkPolicies({ resources: records, knownSecrets: ['component-test-api-key-0123456789'] });
  if (violations.length > 0) throw new Error(formatViolations(violations));
  return records;
}

beforeEach(() => mocks.reset());

describe('MlWorkspace', () => {
  it('declares hardened storage, an RBAC vault without purge protection, logs, workspace-based insights and an identity', async () => {
    new MlWorkspace('ml', { resourceGroupName: 'rg', location: 'westus2', tenantId: 'tenant', names, tags });
    const records = await settle();
    const [account] = ofType(records, 'azure-native:storage:StorageAccount');
    expect(account.inputs).toMatchObject({
      accountName: names.storageAccount,
      kind: 'StorageV2',
      sku: { name: 'Standard_LRS' },
      enableHttpsTrafficOnly: true,
      minimumTlsVersion: 'TLS1_2',
      allowBlobPublicAccess: false,
      allowSharedKeyAccess: true,
    });
    const [vault] = ofType(records, 'azure-native:keyvault:Vault');
    expect(vault.inputs.properties).toMatchObject({ enableRbacAuthorization: true, softDeleteRetentionInDays: 7, enableSoftDelete: true });
    expect(vault.inputs.properties).not.toHaveProperty('enablePurgeProtection');
    const [logs] = ofType(records, 'azure-native:operationalinsights:Workspace');
    const [insights] = ofType(records, 'azure-native:applicationinsights:Component');
    expect(insights.inputs.workspaceResourceId).toContain(`/${logs.inputs.workspaceName}`);
    const [workspace] = ofType(records, 'azure-native:machinelearningservices:Workspace');
    expect(workspace.inputs.identity).toEqual({ type: 'SystemAssigned' });
    expect(String(workspace.inputs.storageAccount)).toContain(names.storageAccount);
    expect(String(workspace.inputs.keyVault)).toContain(names.keyVault);
  });
});

describe('ComputeInstance', () => {
  it('shuts down when idle and every night, and is replaced rather than updated', async () => {
    new ComputeInstance('ci', {
      resourceGroupName: 'rg',
      workspaceName: 'ws',
      location: 'westus2',
      computeName: names.computeInstance,
      vmSize: 'Standard_DS11_v2',
      idleShutdownMinutes: 45,
      nightlyStopTime: '21:30',
      timeZone: 'Pacific Standard Time',
      assignedUser: { objectId: 'student', tenantId: 'tenant' },
      tags,
    });
    const records = await settle();
    const [compute] = ofType(records, 'azure-native:machinelearningservices:Compute');
    const props = (compute.inputs.properties as { properties: Record<string, unknown> }).properties;
    expect(props.idleTimeBeforeShutdown).toBe('PT45M');
    expect(props.schedules).toEqual({
      computeStartStop: [{ action: 'Stop', triggerType: 'Cron', status: 'Enabled', cron: { expression: '30 21 * * *', timeZone: 'Pacific Standard Time' } }],
    });
    expect(props.personalComputeInstanceSettings).toEqual({ assignedUser: { objectId: 'student', tenantId: 'tenant' } });
    expect(compute.options.replaceOnChanges).toEqual(['properties']);
    expect(compute.options.deleteBeforeReplace).toBe(true);
  });

  it('refuses an idle shutdown outside Azure limits', () => {
    const args = { resourceGroupName: 'rg', workspaceName: 'ws', location: 'westus2', computeName: 'ci-x', vmSize: 'Standard_DS11_v2', nightlyStopTime: '22:00', timeZone: 'UTC', tags };
    expect(() => new ComputeInstance('ci-short', { ...args, idleShutdownMinutes: 10 })).toThrow(/15 to 4320/);
    expect(() => new ComputeInstance('ci-long', { ...args, idleShutdownMinutes: 4321 })).toThrow(/15 to 4320/);
  });

  it('writes durations and cron expressions Azure ML accepts', () => {
    expect(idleShutdownDuration(4320)).toBe('PT4320M');
    expect(dailyCron('07:05')).toBe('5 7 * * *');
    expect(dailyCron('00:00')).toBe('0 0 * * *');
  });
});

describe('GestureData', () => {
  it('creates a private container, a keyless datastore and a uri_folder data asset over it', async () => {
    const data = new GestureData('data', {
      resourceGroupName: 'rg',
      workspaceName: 'ws',
      workspacePrincipalId: 'workspace-principal',
      storageAccountName: names.storageAccount,
      storageAccountId: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/acct',
      subscriptionId: 's',
      tags,
    });
    const records = await settle();
    const [datastore] = ofType(records, 'azure-native:machinelearningservices:Datastore');
    expect(datastore.inputs.properties).toMatchObject({
      datastoreType: 'AzureBlob',
      accountName: names.storageAccount,
      containerName: 'gestures',
      credentials: { credentialsType: 'None' },
    });
    const [version] = ofType(records, 'azure-native:machinelearningservices:DataVersion');
    expect(version.inputs.properties).toMatchObject({ dataType: 'uri_folder', dataUri: 'azureml://datastores/gestures/paths/' });
    // The layout datasync writes: the uploader's folder, then the class.
    expect(blobNameFor('jdoe42', '/data/mine', '/data/mine/O/o_01.csv')).toBe('jdoe42/O/o_01.csv');
    for (const described of [version, ofType(records, 'azure-native:machinelearningservices:DataContainer')[0]]) {
      expect((described.inputs.properties as { description: string }).description).toContain('<owner>/<class>/<file>.csv');
    }
    const [grant] = ofType(records, 'azure-native:authorization:RoleAssignment');
    expect(grant.inputs.roleDefinitionId).toContain(BUILT_IN_ROLES.storageBlobDataReader);
    expect(grant.inputs.principalId).toBe('workspace-principal');
    expect(await outputOf(data.dataAssetVersion)).toBe('1');
  });
});

describe('ModelRegistration', () => {
  it('uploads every model file under name/version, registers the version with metrics and fingerprint, and retains history', async () => {
    const { modelDir } = makeFixtures('7');
    const model = readModelFolder(modelDir);
    const reg = new ModelRegistration('model', {
      resourceGroupName: 'rg',
      workspaceName: 'ws',
      subscriptionId: 'sub',
      storageAccountName: 'acct',
      blobEndpoint: 'https://acct.blob.core.windows.net/',
      model,
      tags,
    });
    const records = await settle();
    const blobs = ofType(records, 'azure-native:storage:Blob');
    expect(blobs.map((b) => b.inputs.blobName).sort()).toEqual(
      ['cloud.onnx', 'edge.onnx', 'edge_model.h', 'images/confusion.png', 'model.json', 'report.md'].map((f) => `wand-gestures/7/${f}`),
    );
    expect(blobs.every((b) => b.options.retainOnDelete)).toBe(true);
    const [version] = ofType(records, 'azure-native:machinelearningservices:ModelVersion');
    expect(version.options.retainOnDelete).toBe(true);
    expect(version.inputs.version).toBe('7');
    const props = version.inputs.properties as { modelUri: string; tags: Record<string, string> };
    expect(props.modelUri).toBe('azureml://subscriptions/sub/resourcegroups/rg/workspaces/ws/datastores/models/paths/wand-gestures/7/');
    expect(props.tags).toMatchObject({
      'metrics.cloud.accuracy': '0.87',
      'metrics.edge.accuracy': '0.82',
      'data.fingerprint': 'ab'.repeat(32),
      labels: 'O,V,Z',
      owner: 'jdoe42',
    });
    expect(ofType(records, 'azure-native:machinelearningservices:ModelContainer')[0].options.retainOnDelete).toBe(true);
    expect(await outputOf(reg.modelBlobUrl)).toBe('https://acct.blob.core.windows.net/models/wand-gestures/7/');
  });

  it('rejects a folder whose manifest is invalid, naming the file', () => {
    const { modelDir } = makeFixtures();
    writeFileSync(`${modelDir}/model.json`, JSON.stringify({ name: 'x' }));
    expect(() => readModelFolder(modelDir)).toThrow(/model\.json/);
  });
});

describe('InferenceApp', () => {
  const { servicePackage } = makeFixtures();
  const base = {
    resourceGroupName: 'rg',
    location: 'westus2',
    subscriptionId: 'sub',
    names,
    storageAccountName: 'acct',
    storageAccountId: '/subscriptions/sub/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/acct',
    blobEndpoint: 'https://acct.blob.core.windows.net/',
    servicePackagePath: servicePackage,
    apiKey: 'component-test-api-key-0123456789',
    keyVaultName: 'kv',
    appInsightsConnectionString: 'InstrumentationKey=x',
    tags,
  };

  it('runs a hardened Node 22 app on a free Linux plan from the uploaded package', async () => {
    new InferenceApp('app', base);
    const records = await settle();
    const [plan] = ofType(records, 'azure-native:web:AppServicePlan');
    expect(plan.inputs).toMatchObject({ kind: 'linux', reserved: true, sku: { name: 'F1', tier: 'Free' } });
    const [app] = ofType(records, 'azure-native:web:WebApp');
    expect(app.inputs).toMatchObject({ httpsOnly: true, identity: { type: 'SystemAssigned' }, name: names.webApp });
    expect(app.inputs.siteConfig).toMatchObject({
      linuxFxVersion: 'NODE|22-lts',
      minTlsVersion: '1.2',
      ftpsState: 'Disabled',
      http20Enabled: true,
      healthCheckPath: '/v2/health/ready',
      // The package has no start script (delivery/src/package): the command is explicit.
      appCommandLine: 'node --max-old-space-size=96 server.js',
    });
    const settings = plain(ofType(records, 'azure-native:web:WebAppApplicationSettings')[0].inputs.properties) as Record<string, string>;
    expect(settings).toEqual({
      WEBSITE_RUN_FROM_PACKAGE: `https://acct.blob.core.windows.net/packages/${packageBlobName(servicePackage)}`,
      WEBSITE_RUN_FROM_PACKAGE_BLOB_MI_RESOURCE_ID: 'SystemAssigned',
      SCM_DO_BUILD_DURING_DEPLOYMENT: 'false',
      MODEL_DIR: 'models/default',
      TRUST_PROXY: 'true',
      WAND_API_KEY: 'component-test-api-key-0123456789',
      APPLICATIONINSIGHTS_CONNECTION_STRING: 'InstrumentationKey=x',
    });
    const grants = ofType(records, 'azure-native:authorization:RoleAssignment');
    expect(grants.map((g) => String(g.inputs.scope).split('/').pop())).toEqual(['packages']);
    expect(grants.every((g) => g.inputs.principalId === 'webapp-principal' && String(g.inputs.roleDefinitionId).endsWith(BUILT_IN_ROLES.storageBlobDataReader))).toBe(true);
    const [secret] = ofType(records, 'azure-native:keyvault:Secret');
    expect((plain(secret.inputs.properties) as { value: string }).value).toBe('component-test-api-key-0123456789');
  });

  it('sets only what App Service or the service reads, as the README lists it', async () => {
    new InferenceApp('app-settings', base);
    const records = await settle();
    const settings = Object.keys(plain(ofType(records, 'azure-native:web:WebAppApplicationSettings')[0].inputs.properties) as object);
    const root = join(__dirname, '..', '..');
    // The environment variables the service validates at start: the keys of EnvSchema in service/src/config.ts.
    const serviceReads = [...readFileSync(join(root, 'service', 'src', 'config.ts'), 'utf8').matchAll(/^ {2}([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1]);
    expect(serviceReads).toEqual(expect.arrayContaining(['PORT', 'MODEL_DIR', 'WAND_API_KEY', 'TRUST_PROXY']));
    const platform = [...Object.keys(PLATFORM_SETTINGS), 'WEBSITE_RUN_FROM_PACKAGE'];
    expect(settings.filter((k) => !platform.includes(k) && !serviceReads.includes(k))).toEqual([]);
    // The README's settings table: every setting, plus PORT, which App Service sets itself.
    const readme = readFileSync(join(root, 'infra', 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## What the service gets'), readme.indexOf('## Cost per stack'));
    const documented = [...section.matchAll(/^\| `([A-Z][A-Z0-9_]+)` \|/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual([...settings, 'PORT'].sort());
  });

  it('names a new package build with its hash, so the app restarts onto it', () => {
    const { servicePackage: other } = makeFixtures();
    writeFileSync(other, 'a different build');
    expect(packageBlobName(other)).toMatch(/^service-[0-9a-f]{16}\.zip$/);
    expect(packageBlobName(other)).not.toBe(packageBlobName(servicePackage));
  });
});

describe('GithubDeployment', () => {
  const args = {
    repo: 'jdoe42/magic-wand',
    branch: 'release',
    resourceGroupName: 'rg',
    resourceGroupId: '/subscriptions/sub/resourceGroups/rg',
    location: 'westus2',
    subscriptionId: 'sub',
    tenantId: 'tenant',
    identityName: names.githubIdentity,
    deployerObjectId: 'me',
    assignableRoles: ['storageBlobDataReader' as const],
    tags,
  };

  it('federates the branch and the production environment and grants only resource-group roles', async () => {
    const gh = new GithubDeployment('gh', { ...args, kind: 'managedIdentity' });
    const records = await settle();
    const creds = ofType(records, 'azure-native:managedidentity:FederatedIdentityCredential');
    expect(creds.map((c) => c.inputs.subject)).toEqual(['repo:jdoe42/magic-wand:ref:refs/heads/release', 'repo:jdoe42/magic-wand:environment:production']);
    expect(creds.every((c) => (c.inputs.audiences as string[])[0] === 'api://AzureADTokenExchange' && c.inputs.issuer === 'https://token.actions.githubusercontent.com')).toBe(true);
    const grants = ofType(records, 'azure-native:authorization:RoleAssignment');
    expect(grants.every((g) => g.inputs.scope === '/subscriptions/sub/resourceGroups/rg')).toBe(true);
    const assigner = grants.find((g) => String(g.inputs.roleDefinitionId).endsWith(BUILT_IN_ROLES.roleBasedAccessControlAdministrator));
    expect(assigner?.inputs.condition).toBe(constrainedRoleCondition(['storageBlobDataReader']));
    expect(assigner?.inputs.conditionVersion).toBe('2.0');
    expect(await outputOf(gh.clientId)).toBe('identity-client-id');
  });

  describe('teardown by its own identity', () => {
    it('leaves the managed identity, its credentials and roles to go with the resource group', async () => {
      new GithubDeployment('gh-mi', { ...args, kind: 'managedIdentity' });
      const custom = (await settle()).filter((r) => r.custom);
      expect(custom.map((r) => r.type).sort()).toEqual([
        'azure-native:authorization:RoleAssignment',
        'azure-native:authorization:RoleAssignment',
        'azure-native:managedidentity:FederatedIdentityCredential',
        'azure-native:managedidentity:FederatedIdentityCredential',
        'azure-native:managedidentity:UserAssignedIdentity',
      ]);
      expect(custom.filter((r) => !r.options.retainOnDelete).map((r) => r.name)).toEqual([]);
    });

    it('deletes the Entra application and everything of it, which lives outside the resource group', async () => {
      new GithubDeployment('gh-entra', { ...args, kind: 'entraApplication' });
      const custom = (await settle()).filter((r) => r.custom);
      expect(custom.map((r) => r.type)).toContain('azuread:index/application:Application');
      expect(custom.filter((r) => r.options.retainOnDelete).map((r) => r.name)).toEqual([]);
    });
  });

  it('limits role assignment to the listed role ids', () => {
    const condition = constrainedRoleCondition(['storageBlobDataReader', 'storageBlobDataContributor']);
    expect(condition).toContain(BUILT_IN_ROLES.storageBlobDataReader);
    expect(condition).toContain(BUILT_IN_ROLES.storageBlobDataContributor);
    expect(condition).not.toContain(BUILT_IN_ROLES.contributor);
  });
});
