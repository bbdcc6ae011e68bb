/**
 * The preflight against recorded ARM responses, through the real `@azure/arm-*` clients (their paths, api-versions
 * and deserialisers). Recordings are shaped after the azure-rest-api-specs examples of each operation:
 * - Subscriptions_Get / Subscriptions_ListLocations (resources/Microsoft.Resources/subscriptions, GetSubscription.json, GetLocations.json)
 * - PolicyAssignments_List, PolicyDefinitions_GetBuiltIn, PolicySetDefinitions_GetAtManagementGroup
 *   (Microsoft.Authorization/policy/stable/2025-03-01: listPolicyAssignmentsForResourceGroup.json, getPolicyDefinition.json,
 *   getBuiltInPolicySetDefinition.json), with the rule of the built-in "Allowed locations" definition
 * - Providers_Get (resources/Microsoft.Resources, GetProvider.json)
 * - AppServicePlans_List (web/Microsoft.Web, ListAppServicePlans.json)
 * - Usages_List, VirtualMachineSizes_List (machinelearningservices 2022-10-01: Usage/list.json, VirtualMachineSize/list.json)
 * `preflight-student.json` is an Azure for Students subscription where everything is clear for westus2; each case
 * file holds only the exchanges that differ and is listed first (the first matching exchange answers).
 */
import { preflightClients } from '../preflight/clients';
import { runPreflight, type PreflightInputs, type PreflightReport } from '../preflight/run';
import { ArmReplay, loadRecording, replayCredential, replayOptions } from './helpers/armReplay';

const SUB = '5f1c2a3e-7b4d-4c8e-9a61-2d3e4f5a6b7c';

const inputs = (over: Partial<PreflightInputs> = {}): PreflightInputs => ({
  subscriptionId: SUB,
  location: 'westus2',
  computeInstance: true,
  computeVmSize: 'Standard_DS11_v2',
  githubIdentity: 'managedIdentity',
  budget: false,
  managedByTag: 'pulumi:wandcloud/dev',
  stack: 'dev',
  ...over,
});

async function preflight(cases: string[], over: Partial<PreflightInputs> = {}): Promise<{ report: PreflightReport; replay: ArmReplay }> {
  const replay = new ArmReplay([...cases, 'preflight-student.json'].flatMap(loadRecording));
  const report = await runPreflight(inputs(over), preflightClients(replayCredential, replayOptions(replay)));
  return { report, replay };
}

const byCheck = (report: PreflightReport, check: string) => {
  const found = report.findings.find((f) => f.check === check);
  if (!found) throw new Error(`no ${check} finding`);
  return found;
};

describe('preflight on a student subscription', () => {
  it('all clear: every check ok, no blocker, and every request had a recording', async () => {
    const { report, replay } = await preflight([]);
    expect(replay.unmatched).toEqual([]);
    expect(report.findings.map((f) => [f.check, f.status])).toEqual([
      ['subscription', 'ok'],
      ['region', 'ok'],
      ['providers', 'ok'],
      ['freePlan', 'ok'],
      ['computeQuota', 'ok'],
    ]);
    expect(report.blockers).toBe(0);
    expect(byCheck(report, 'region').details?.allowed).toEqual(['westus2', 'eastus2', 'centralus', 'westus3', 'southcentralus']);
    expect(report.subscription.offer).toBe('AzureForStudents_2018-01-01');
  });
});
