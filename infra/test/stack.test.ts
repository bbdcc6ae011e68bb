import { installMocks, ofType, outputOf, isSecretOutput, NAME_SUFFIX, STUDENT_OBJECT_ID, TENANT_ID, SUBSCRIPTION_ID } from './helpers/pulumiMocks';
import { testConfig } from './helpers/fixtures';
import { checkPolicies, formatViolations } from '../policy/rules';
import { defineWandStack } from '../stack';
import { globalNames, stackNames } from '../naming';
import { BUILT_IN_ROLES } from '../roles';

const mocks = installMocks();

async function build(overrides: Parameters<typeof testConfig>[0] = {}) {
  mocks.reset();
  const cfg = testConfig(overrides);
  const outputs = defineWandStack(cfg, { now: new Date('2026-03-14T10:00:00Z') });
  const records = await mocks.settled();
  return { cfg, outputs, records };
}

function expectPolicyClean(records: Awaited<ReturnType<typeof build>>['records'], secrets: string[] = []) {
  const violations = checkPolicies({ resources: records, knownSecrets: secrets });
  if (violations.length > 0) throw new Error(`policy violations:\n${formatViolations(violations)}`);
}

describe('the whole stack (defaults)', () => {
  it('declares every Lab 5 part and passes every policy', async () => {
    const { records } = await build({ apiKey: 'a-student-chosen-api-key-0123456789' });
    expectPolicyClean(records, ['a-student-chosen-api-key-0123456789']);
    const types = new Set(records.map((r) => r.type));
    for (const type of [
      'azure-native:resources:ResourceGroup',
      'azure-native:machinelearningservices:Workspace',
      'azure-native:machinelearningservices:Datastore',
      'azure-native:machinelearningservices:DataVersion',
      'azure-native:machinelearningservices:ModelContainer',
      'azure-native:web:AppServicePlan',
      'azure-native:web:WebApp',
      'azure-native:managedidentity:UserAssignedIdentity',
    ]) {
      expect(types).toContain(type);
    }
    // No budget unless configured, no Entra application by default, no model version (azureml/ registers those),
    // no compute instance without a student to own it.
    expect(types).not.toContain('azure-native:consumption:Budget');
    expect(types).not.toContain('azure-native:machinelearningservices:ModelVersion');
    expect(types).not.toContain('azure-native:machinelearningservices:Compute');
    expect(types).not.toContain('azuread:index/application:Application');
  });

  it('exports the URLs, registry names, GitHub OIDC values and a secret API key', async () => {
    const { outputs, cfg } = await build();
    const names = { ...stackNames(cfg.owner, cfg.stack), ...globalNames(cfg.owner, cfg.stack, NAME_SUFFIX) };
    expect(await outputOf(outputs.appUrl)).toBe(`https://${names.webApp}.azurewebsites.net`);
    expect(await outputOf(outputs.predictUrl)).toBe(`https://${names.webApp}.azurewebsites.net/predict`);
    expect(await outputOf(outputs.workspaceName)).toBe(names.mlWorkspace);
    expect(await outputOf(outputs.datastoreName)).toBe('gestures');
    expect(await outputOf(outputs.dataAssetName)).toBe('gesture-recordings');
    expect(await outputOf(outputs.modelName)).toBe('wand-gestures');
    expect(await outputOf(outputs.modelVersion)).toBe('');
    expect(await outputOf(outputs.keyVaultName)).toBe(names.keyVault);
    expect(await outputOf(outputs.logAnalyticsName)).toBe(names.logAnalytics);
    expect(await outputOf(outputs.location)).toBe('westus2');
    expect(await outputOf(outputs.modelsContainer)).toBe('models');
    expect(await outputOf(outputs.githubClientId)).toBe('identity-client-id');
    expect(await outputOf(outputs.githubTenantId)).toBe(TENANT_ID);
    expect(await outputOf(outputs.githubSubscriptionId)).toBe(SUBSCRIPTION_ID);
    expect(outputs.githubSubjects).toEqual(['repo:jdoe42/magic-wand:ref:refs/heads/main', 'repo:jdoe42/magic-wand:environment:production']);
    expect(await isSecretOutput(outputs.apiKey)).toBe(true);
    expect(await outputOf(outputs.apiKey)).toBe('generated-api-key-0123456789abcdefghijklmnop');
  });

  it('generates the API key with @pulumi/random when none is configured, and keeps it secret everywhere', async () => {
    const { records } = await build();
    expect(ofType(records, 'random:index/randomPassword:RandomPassword')).toHaveLength(1);
    expectPolicyClean(records, ['generated-api-key-0123456789abcdefghijklmnop']);
  });

  it('uses a configured API key instead of generating one', async () => {
    const { records, outputs } = await build({ apiKey: 'configured-key-abcdefghijklmnopqrstuvwxyz' });
    expect(ofType(records, 'random:index/randomPassword:RandomPassword')).toHaveLength(0);
    expect(await outputOf(outputs.apiKey)).toBe('configured-key-abcdefghijklmnopqrstuvwxyz');
  });

  it('tags every resource group member with owner, course, expiresOn and managedBy', async () => {
    const { records, cfg } = await build();
    const group = ofType(records, 'azure-native:resources:ResourceGroup')[0];
    expect(group.inputs.tags).toEqual({ owner: 'jdoe42', course: 'techin515', expiresOn: cfg.expiresOn, managedBy: 'pulumi:wandcloud/dev' });
  });
});

describe('shared-plan mode', () => {
  const planId = `/subscriptions/${SUBSCRIPTION_ID}/resourceGroups/rg-class/providers/Microsoft.Web/serverfarms/plan-class`;

  it('joins the existing plan and creates none', async () => {
    const { records } = await build({ appServicePlanId: planId });
    expect(ofType(records, 'azure-native:web:AppServicePlan')).toHaveLength(0);
    const [app] = ofType(records, 'azure-native:web:WebApp');
    expect(app.inputs.serverFarmId).toBe(planId);
    expectPolicyClean(records);
  });

  it('keeps the random name suffix in state, so global names do not depend on owner and stack alone', async () => {
    const { records } = await build();
    const [suffix] = ofType(records, 'random:index/randomString:RandomString');
    expect(suffix.inputs).toMatchObject({ length: 6, upper: false, special: false });
    const [account] = ofType(records, 'azure-native:storage:StorageAccount');
    expect(account.inputs.accountName).toBe(`wandjdoe42${NAME_SUFFIX}`);
  });
});

describe('options', () => {
  it('leaves the compute instance out when it is switched off', async () => {
    const { records, outputs } = await build({ computeInstance: false });
    expect(ofType(records, 'azure-native:machinelearningservices:Compute')).toHaveLength(0);
    expect(await outputOf(outputs.computeInstanceName)).toBeUndefined();
  });

  it('assigns the instance to the student objectId and grants that objectId exactly its three roles', async () => {
    const { records } = await build({ studentObjectId: STUDENT_OBJECT_ID });
    // No directory lookup: a CI identity cannot read users.
    expect(mocks.invokes.filter((token) => token.startsWith('azuread:'))).toEqual([]);
    const [compute] = ofType(records, 'azure-native:machinelearningservices:Compute');
    expect((compute.inputs.properties as { properties: Record<string, unknown> }).properties.personalComputeInstanceSettings).toEqual({
      assignedUser: { objectId: STUDENT_OBJECT_ID, tenantId: TENANT_ID },
    });
    const studentRoles = ofType(records, 'azure-native:authorization:RoleAssignment').filter((r) => r.inputs.principalId === STUDENT_OBJECT_ID);
    expect(studentRoles.map((r) => [String(r.inputs.roleDefinitionId).split('/').pop(), String(r.inputs.scope).split('/').slice(-2).join('/')]).sort()).toEqual(
      [
        [BUILT_IN_ROLES.reader, `ResourceGroup/${stackNames('jdoe42', 'dev').resourceGroup}`],
        [BUILT_IN_ROLES.azureMlDataScientist, `Workspace/${stackNames('jdoe42', 'dev').mlWorkspace}`],
        [BUILT_IN_ROLES.storageBlobDataContributor, 'containers/gestures'],
      ].sort(),
    );
    expectPolicyClean(records);
  });

  it('creates no personal instance without a student objectId, whoever runs it', async () => {
    const { records } = await build({ computeInstance: true, studentObjectId: undefined });
    expect(ofType(records, 'azure-native:machinelearningservices:Compute')).toHaveLength(0);
    expect(ofType(records, 'azure-native:authorization:RoleAssignment').filter((r) => r.inputs.principalType === 'User')).toHaveLength(0);
  });

  it('gives the deploy identity blob rights on its own storage account only: writes to models, reads elsewhere (job logs, gestures)', async () => {
    const { records } = await build();
    const deployer = `principal-of-${stackNames('jdoe42', 'dev').githubIdentity}`;
    const account = `wandjdoe42${NAME_SUFFIX}`;
    const data = ofType(records, 'azure-native:authorization:RoleAssignment').filter((r) => r.inputs.principalId === deployer && String(r.inputs.scope).includes(`/${account}`));
    expect(data.map((r) => [String(r.inputs.scope).split(`/${account}`)[1], String(r.inputs.roleDefinitionId).split('/').pop()]).sort()).toEqual(
      [
        ['', BUILT_IN_ROLES.storageBlobDataReader],
        ['/blobServices/default/containers/models', BUILT_IN_ROLES.storageBlobDataContributor],
      ].sort(),
    );
  });

  it('points a datastore at the class pool when the stack is part of a class, and at nothing otherwise', async () => {
    const { records, outputs } = await build({ classPool: 'wandclassab12cd/pool' });
    const pool = ofType(records, 'azure-native:machinelearningservices:Datastore').find((d) => d.inputs.name === 'pool');
    expect(pool?.inputs.properties).toMatchObject({ accountName: 'wandclassab12cd', containerName: 'pool', credentials: { credentialsType: 'None' } });
    expect(await outputOf(outputs.poolContainer)).toBe('wandclassab12cd/pool');
    const alone = await build();
    expect(ofType(alone.records, 'azure-native:machinelearningservices:Datastore').map((d) => d.inputs.name).sort()).toEqual(['gestures', 'models']);
    expect(await outputOf(alone.outputs.poolContainer)).toBeUndefined();
  });

  it('creates a budget with 50/80/100 % alerts when an amount is set', async () => {
    const { records } = await build({ budgetAmount: 25, budgetEmails: ['jdoe42@example.edu'] });
    const [budget] = ofType(records, 'azure-native:consumption:Budget');
    expect(budget.inputs.amount).toBe(25);
    expect(budget.inputs.timeGrain).toBe('Monthly');
    expect(budget.inputs.timePeriod).toEqual({ startDate: '2026-03-01T00:00:00Z', endDate: '2026-06-30T00:00:00Z' });
    const thresholds = Object.values(budget.inputs.notifications as Record<string, { threshold: number; contactEmails: string[] }>).map((n) => n.threshold);
    expect(thresholds.sort((x, y) => x - y)).toEqual([50, 80, 100]);
    expect(String(budget.inputs.scope)).toContain('/resourceGroups/');
    expect(budget.options.ignoreChanges).toContain('timePeriod.startDate');
  });

  it('uses an Entra application with a service principal when asked to', async () => {
    const { records, outputs } = await build({ githubIdentity: 'entraApplication' });
    // Only the app's own identity, which reads the service package.
    expect(ofType(records, 'azure-native:managedidentity:UserAssignedIdentity').map((r) => r.name)).toEqual(['inference-identity']);
    const creds = ofType(records, 'azuread:index/applicationFederatedIdentityCredential:ApplicationFederatedIdentityCredential');
    expect(creds.map((c) => c.inputs.applicationId)).toEqual(['/applications/application-object-id', '/applications/application-object-id']);
    expect(await outputOf(outputs.githubClientId)).toBe('application-client-id');
    const grants = ofType(records, 'azure-native:authorization:RoleAssignment').filter((r) => r.inputs.principalId === 'service-principal-object-id');
    expect(grants).toHaveLength(4);
    expectPolicyClean(records);
  });
});
