import { installMocks, ofType, outputOf, isSecretOutput, STUDENT_OBJECT_ID, TENANT_ID, SUBSCRIPTION_ID } from './helpers/pulumiMocks';
import { testConfig } from './helpers/fixtures';
import { checkPolicies, formatViolations } from '../policy/rules';
import { defineWandStack } from '../stack';
import { stackNames } from '../naming';

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
      'azure-native:machinelearningservices:Compute',
      'azure-native:machinelearningservices:Datastore',
      'azure-native:machinelearningservices:DataVersion',
      'azure-native:machinelearningservices:ModelVersion',
      'azure-native:web:AppServicePlan',
      'azure-native:web:WebApp',
      'azure-native:managedidentity:UserAssignedIdentity',
    ]) {
      expect(types).toContain(type);
    }
    // No budget unless configured, no Entra application by default.
    expect(types).not.toContain('azure-native:consumption:Budget');
    expect(types).not.toContain('azuread:index/application:Application');
  });

  it('exports the URLs, registry names, GitHub OIDC values and a secret API key', async () => {
    const { outputs, cfg } = await build();
    const names = stackNames(cfg.owner, cfg.stack);
    expect(await outputOf(outputs.appUrl)).toBe(`https://${names.webApp}.azurewebsites.net`);
    expect(await outputOf(outputs.predictUrl)).toBe(`https://${names.webApp}.azurewebsites.net/predict`);
    expect(await outputOf(outputs.workspaceName)).toBe(names.mlWorkspace);
    expect(await outputOf(outputs.datastoreName)).toBe('gestures');
    expect(await outputOf(outputs.dataAssetName)).toBe('gesture-recordings');
    expect(await outputOf(outputs.modelName)).toBe('wand-gestures');
    expect(await outputOf(outputs.modelVersion)).toBe('3');
    expect(await outputOf(outputs.computeInstanceName)).toBe(names.computeInstance);
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

  it('gives two students in one subscription distinct global names', async () => {
    const a = stackNames('alice1', 'dev');
    const b = stackNames('bob2', 'dev');
    for (const key of ['storageAccount', 'keyVault', 'webApp', 'computeInstance'] as const) expect(a[key]).not.toBe(b[key]);
  });
});

describe('options', () => {
  it('leaves the compute instance out when it is switched off', async () => {
    const { records, outputs } = await build({ computeInstance: false });
    expect(ofType(records, 'azure-native:machinelearningservices:Compute')).toHaveLength(0);
    expect(await outputOf(outputs.computeInstanceName)).toBeUndefined();
  });

  it('resolves the student with azuread and assigns the instance and the data container to them', async () => {
    const { records } = await build({ computeAssignedUser: 'jdoe42@example.edu' });
    expect(mocks.invokes).toContain('azuread:index/getUser:getUser');
    const [compute] = ofType(records, 'azure-native:machinelearningservices:Compute');
    expect((compute.inputs.properties as { properties: Record<string, unknown> }).properties.personalComputeInstanceSettings).toEqual({
      assignedUser: { objectId: STUDENT_OBJECT_ID, tenantId: TENANT_ID },
    });
    const studentRoles = ofType(records, 'azure-native:authorization:RoleAssignment').filter((r) => r.inputs.principalId === STUDENT_OBJECT_ID);
    expect(studentRoles).toHaveLength(1);
    expect(String(studentRoles[0].inputs.scope)).toMatch(/\/blobServices\/default\/containers\/gestures$/);
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
    expect(ofType(records, 'azure-native:managedidentity:UserAssignedIdentity')).toHaveLength(0);
    const creds = ofType(records, 'azuread:index/applicationFederatedIdentityCredential:ApplicationFederatedIdentityCredential');
    expect(creds.map((c) => c.inputs.applicationId)).toEqual(['/applications/application-object-id', '/applications/application-object-id']);
    expect(await outputOf(outputs.githubClientId)).toBe('application-client-id');
    const grants = ofType(records, 'azure-native:authorization:RoleAssignment').filter((r) => r.inputs.principalId === 'service-principal-object-id');
    expect(grants).toHaveLength(2);
    expectPolicyClean(records);
  });
});
