import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { installMocks, ofType, outputOf, SUBSCRIPTION_ID } from './helpers/pulumiMocks';
import { checkPolicies, formatViolations } from '../policy/rules';
import { classResourceGroupName } from '../class/classNames';
import { defineClassStack } from '../class/classStack';
import { guidOf, POOL_CONTAINER, POOL_PERMISSIONS, poolWriteCondition } from '../class/classPool';
import { placeApps } from '../class/placement';
import { parseRoster } from '../class/roster';

const mocks = installMocks('class-techin515');
const roster = parseRoster(readFileSync(join(__dirname, '..', '..', 'roster.csv'), 'utf8'));

async function build(placement: ReturnType<typeof placeApps>) {
  mocks.reset();
  const outputs = defineClassStack({ course: 'techin515', placement, expiresOn: '2027-06-30', students: roster });
  const records = await mocks.settled();
  const violations = checkPolicies({ resources: records, knownSecrets: [] });
  if (violations.length > 0) throw new Error(formatViolations(violations));
  return { outputs, records };
}

describe('the class stack (under mocks)', () => {
  it('declares the free plans (F1, Linux) in their regions, the pool, one resource group, and nothing else', async () => {
    const placement = placeApps(roster, { course: 'techin515', regions: ['westus2', 'westus3', 'centralus', 'eastus'], appsPerPlan: 10 });
    const { outputs, records } = await build(placement);
    const counts: Record<string, number> = {};
    for (const r of records) counts[r.type] = (counts[r.type] ?? 0) + 1;
    expect(counts).toEqual({
      'azure-native:resources:ResourceGroup': 1,
      'azure-native:web:AppServicePlan': 4,
      'wandcloud:class:ClassPool': 1,
      'random:index/randomString:RandomString': 1,
      'azure-native:storage:StorageAccount': 1,
      'azure-native:storage:BlobContainer': 1,
      'azure-native:authorization:RoleDefinition': 1,
      'azure-native:authorization:RoleAssignment': 40,
    });
    expect(ofType(records, 'azure-native:resources:ResourceGroup')[0].inputs).toMatchObject({ resourceGroupName: classResourceGroupName('techin515'), location: 'westus2' });
    const plans = ofType(records, 'azure-native:web:AppServicePlan');
    expect(plans.map((p) => [p.inputs.name, p.inputs.location])).toEqual(placement.plans.map((p) => [p.name, p.region]));
    for (const plan of plans) {
      // `reserved: true` is what makes a plan Linux; `kind: linux` alone gives a Windows plan.
      expect(plan.inputs).toMatchObject({ kind: 'linux', reserved: true, sku: { name: 'F1', tier: 'Free' }, resourceGroupName: classResourceGroupName('techin515') });
      expect(plan.inputs.tags).toMatchObject({ course: 'techin515', expiresOn: '2027-06-30', managedBy: 'pulumi:wandcloud-class/class-techin515' });
    }
    const planIds = await outputOf(outputs.planIds);
    expect(Object.keys(planIds)).toEqual(placement.plans.map((p) => p.key));
    expect(planIds['free-eastus']).toMatch(/plan-wand-techin515-eastus$/);
  });

  it('declares shared Basic plans when the class shares B1', async () => {
    const placement = placeApps(roster, { course: 'techin515', regions: ['westus2'], appsPerPlan: 10, sharedPlan: 'B1' });
    const { records } = await build(placement);
    const plans = ofType(records, 'azure-native:web:AppServicePlan');
    expect(plans).toHaveLength(4);
    for (const plan of plans) expect(plan.inputs).toMatchObject({ kind: 'linux', reserved: true, location: 'westus2', sku: { name: 'B1', tier: 'Basic' } });
  });

  it('gives every student the pool to read whole and to write only under their own prefix', async () => {
    const placement = placeApps(roster, { course: 'techin515', regions: ['westus2', 'westus3', 'centralus', 'eastus'], appsPerPlan: 10 });
    const { outputs, records } = await build(placement);
    const [account] = ofType(records, 'azure-native:storage:StorageAccount');
    expect(account.inputs).toMatchObject({ allowSharedKeyAccess: false, allowBlobPublicAccess: false, location: 'westus2' });
    expect(account.inputs.accountName).toMatch(/^wandpooltechin515[a-z0-9]{6}$/);
    expect(ofType(records, 'azure-native:storage:BlobContainer')[0].inputs).toMatchObject({ containerName: POOL_CONTAINER, publicAccess: 'None' });
    // A role of its own: the built-in Storage Blob Data Contributor could delete the container, whatever the condition.
    const [writer] = ofType(records, 'azure-native:authorization:RoleDefinition');
    const guid = guidOf(`wandcloud-pool-writer/${SUBSCRIPTION_ID}/${classResourceGroupName('techin515')}`);
    expect(writer.inputs).toMatchObject({ roleDefinitionId: guid, permissions: [POOL_PERMISSIONS], assignableScopes: [`/subscriptions/${SUBSCRIPTION_ID}/resourceGroups/${classResourceGroupName('techin515')}`] });
    expect(POOL_PERMISSIONS.actions).toEqual(['Microsoft.Storage/storageAccounts/blobServices/containers/read']);
    expect(JSON.stringify(POOL_PERMISSIONS)).not.toMatch(/containers\/(delete|write)|\*/);
    const roles = ofType(records, 'azure-native:authorization:RoleAssignment');
    expect(roles.map((r) => r.inputs.principalId)).toEqual(roster.map((s) => s.objectId));
    for (const [i, role] of roles.entries()) {
      expect(role.inputs).toMatchObject({
        principalType: 'User',
        roleDefinitionId: `/subscriptions/${SUBSCRIPTION_ID}/providers/Microsoft.Authorization/roleDefinitions/${guid}`,
        scope: expect.stringMatching(new RegExp(`/blobServices/default/containers/${POOL_CONTAINER}$`)),
        condition: poolWriteCondition(roster[i].id),
        conditionVersion: '2.0',
      });
    }
    expect(await outputOf(outputs.poolContainer)).toBe(POOL_CONTAINER);
    expect(await outputOf(outputs.poolAccountName)).toMatch(/^wandpool/);
  });
});

describe('the pool condition', () => {
  it('leaves reading open and limits write, append and delete to the student prefix', () => {
    const condition = poolWriteCondition('student07');
    for (const action of ['write', 'add/action', 'delete']) {
      expect(condition).toContain(`!(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/${action}'})`);
    }
    expect(condition).not.toContain('blobs/read');
    expect(condition).toContain("@Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs:path] StringStartsWith 'student07/'");
    expect(condition).toContain(`containers:name] StringEquals '${POOL_CONTAINER}'`);
    // Balanced parentheses: Azure refuses a malformed condition only at assignment time, in the cloud.
    let depth = 0;
    for (const c of condition) {
      depth += c === '(' ? 1 : c === ')' ? -1 : 0;
      expect(depth).toBeGreaterThanOrEqual(0);
    }
    expect(depth).toBe(0);
  });
});
