import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { installMocks, ofType, outputOf } from './helpers/pulumiMocks';
import { checkPolicies, formatViolations } from '../policy/rules';
import { classResourceGroupName, defineClassStack } from '../class/classStack';
import { placeApps } from '../class/placement';
import { parseRoster } from '../class/roster';

const mocks = installMocks('class-techin515');
const roster = parseRoster(readFileSync(join(__dirname, '..', '..', 'roster.csv'), 'utf8'), new Date('2026-12-03T12:00:00Z'));

async function build(placement: ReturnType<typeof placeApps>) {
  mocks.reset();
  const outputs = defineClassStack({ course: 'techin515', placement, expiresOn: '2027-06-30' });
  const records = await mocks.settled();
  const violations = checkPolicies({ resources: records, knownSecrets: [] });
  if (violations.length > 0) throw new Error(formatViolations(violations));
  return { outputs, records };
}

describe('the class stack (under mocks)', () => {
  it('declares the free plans (F1, Linux) in their regions, one resource group, and nothing else', async () => {
    const placement = placeApps(roster, { course: 'techin515', regions: ['westus2', 'westus3', 'centralus', 'eastus'], appsPerPlan: 10 });
    const { outputs, records } = await build(placement);
    expect(records.map((r) => r.type).sort()).toEqual(['azure-native:resources:ResourceGroup', ...Array(4).fill('azure-native:web:AppServicePlan')]);
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
});
