/**
 * The preflight against recorded ARM responses, through the real `@azure/arm-*` clients (their paths, api-versions
 * and deserialisers). Recordings are shaped after these azure-rest-api-specs examples:
 * - PolicyAssignments_List, PolicyDefinitions_Get(BuiltIn), PolicySetDefinitions_GetBuiltIn
 *   (Microsoft.Authorization/policy/stable/2025-03-01/examples: listPolicyAssignmentsForResourceGroup.json,
 *   getPolicyDefinition.json, getBuiltInPolicySetDefinition.json), with the rule of the built-in "Allowed locations"
 * - Usages_List, VirtualMachineSizes_List (machinelearningservices stable/2022-10-01/examples: Usage/list.json,
 *   VirtualMachineSize/list.json; the default api-version of @azure/arm-machinelearning 2.1.1)
 * - AppServicePlans_List: the serverfarm shape of Microsoft.Web stable/2024-04-01/examples/AppServiceEnvironments_ListAppServicePlans.json
 * - Providers_Get: the resourceTypes shape of Microsoft.Resources stable/2025-04-01/examples/GetProviderResourceTypes.json
 * Subscriptions_Get, Subscriptions_ListLocations and Resources_List follow the response models of
 * @azure/arm-resources-subscriptions and @azure/arm-resources (no example was at hand).
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
  stackIdentity: { owner: 'jdoe42', managedBy: 'pulumi:wandcloud/dev' },
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
    const query = (suffix: string, key: string) => replay.sent.find((r) => r.url.pathname.endsWith(suffix))?.url.searchParams.get(key);
    // Assignments inherited from management groups count (atScope), and plans come with their app counts (detailed).
    expect(query('/policyAssignments', '$filter')).toBe('atScope()');
    expect(query('/serverfarms', 'detailed')).toBe('true');
    expect(replay.sent.every((r) => r.method === 'GET')).toBe(true);
  });
});

describe('preflight blockers, each with its fix', () => {
  it('a region outside the 5 the student policy allows is a blocker naming RequestDisallowedByAzure and an allowed region', async () => {
    const { report, replay } = await preflight(['preflight-region-disallowed.json'], { location: 'eastus' });
    expect(replay.unmatched).toEqual([]);
    const region = byCheck(report, 'region');
    expect(region.status).toBe('blocker');
    expect(region.summary).toContain('RequestDisallowedByAzure');
    expect(region.summary).toContain('"Allowed resource deployment regions"');
    expect(region.details?.allowed).toEqual(['westus2', 'eastus2', 'centralus', 'westus3', 'southcentralus']);
    expect(region.fix).toEqual(['pulumi config set azure-native:location westus2']);
    expect(report.blockers).toBe(1);
  });

  it('unregistered providers: a blocker with one az provider register per namespace; ML quota waits for the registration', async () => {
    const { report, replay } = await preflight(['preflight-unregistered-providers.json']);
    expect(replay.unmatched).toEqual([]);
    const providers = byCheck(report, 'providers');
    expect(providers.status).toBe('blocker');
    expect(providers.fix).toEqual([
      'az provider register --namespace Microsoft.MachineLearningServices',
      'az provider register --namespace Microsoft.ManagedIdentity',
      'az provider register --namespace Microsoft.ContainerRegistry',
    ]);
    // The container registry is only needed by Azure ML's first environment build, not by pulumi up.
    expect(providers.summary).not.toContain('Microsoft.ContainerRegistry');
    const quota = byCheck(report, 'computeQuota');
    expect(quota.status).toBe('unchecked');
    expect(quota.summary).toContain('Microsoft.MachineLearningServices is registered');
  });

  it('only the container registry unregistered is a warning, not a blocker', async () => {
    const registry = loadRecording('preflight-unregistered-providers.json').filter((e) => e.path.endsWith('Microsoft.ContainerRegistry'));
    const replay = new ArmReplay([...registry, ...loadRecording('preflight-student.json')]);
    const report = await runPreflight(inputs(), preflightClients(replayCredential, replayOptions(replay)));
    expect(byCheck(report, 'providers').status).toBe('warning');
    expect(report.blockers).toBe(0);
  });

  it("the entraApplication mode does not need Microsoft.ManagedIdentity; a budget needs Microsoft.Consumption", async () => {
    const { report, replay } = await preflight(['preflight-unregistered-providers.json'], { githubIdentity: 'entraApplication', budget: true });
    expect(byCheck(report, 'providers').fix).not.toContain('az provider register --namespace Microsoft.ManagedIdentity');
    expect(replay.sent.map((r) => r.url.pathname)).toContain(`/subscriptions/${SUB}/providers/Microsoft.Consumption`);
  });

  it("an existing free Linux plan in the region: a blocker giving its id for wandcloud:appServicePlanId and an allowed region without one", async () => {
    const { report, replay } = await preflight(['preflight-free-plan-taken.json']);
    expect(replay.unmatched).toEqual([]);
    const plan = byCheck(report, 'freePlan');
    expect(plan.status).toBe('blocker');
    const id = `/subscriptions/${SUB}/resourceGroups/rg-lab4/providers/Microsoft.Web/serverfarms/plan-lab4`;
    expect(plan.fix[0]).toContain(`pulumi config set wandcloud:appServicePlanId ${id}`);
    // eastus2 has a free Linux plan already (plan-hack); the free Windows plan in westus2 does not count.
    expect(plan.details?.regionsWithoutFreePlan).toEqual(['centralus', 'westus3', 'southcentralus']);
    expect(plan.fix[1]).toContain('pulumi config set azure-native:location centralus');
  });

  it("the stack's own plan (its owner and managedBy tags) is not an obstacle on a re-run; a classmate's stack also named dev is", async () => {
    const withTags = async (tags: Record<string, string>) => {
      const taken = loadRecording('preflight-free-plan-taken.json');
      const plans = taken[0].body as { value: { tags?: Record<string, string> }[] };
      plans.value[plans.value.length - 1].tags = tags;
      const replay = new ArmReplay([...taken, ...loadRecording('preflight-student.json')]);
      return byCheck(await runPreflight(inputs(), preflightClients(replayCredential, replayOptions(replay))), 'freePlan').status;
    };
    expect(await withTags({ owner: 'jdoe42', managedBy: 'pulumi:wandcloud/dev' })).toBe('ok');
    expect(await withTags({ owner: 'asmith7', managedBy: 'pulumi:wandcloud/dev' })).toBe('blocker');
  });

  it('joining the existing plan with wandcloud:appServicePlanId clears it; a plan in another region does not', async () => {
    const planId = (rg: string, name: string) => `/subscriptions/${SUB}/resourceGroups/${rg}/providers/Microsoft.Web/serverfarms/${name}`;
    const joined = await preflight(['preflight-free-plan-taken.json'], { appServicePlanId: planId('rg-lab4', 'plan-lab4') });
    expect(byCheck(joined.report, 'freePlan').status).toBe('ok');
    const elsewhere = await preflight(['preflight-free-plan-taken.json'], { appServicePlanId: planId('rg-hackathon', 'plan-hack') });
    const plan = byCheck(elsewhere.report, 'freePlan');
    expect(plan.status).toBe('blocker');
    expect(plan.summary).toContain('East US 2');
    expect(plan.fix[0]).toBe('pulumi config set azure-native:location eastus2');
    const windows = await preflight([], { appServicePlanId: planId('rg-old-lab', 'plan-windows') });
    expect(byCheck(windows.report, 'freePlan').summary).toContain('Windows plan');
  });

  it('a full class plan (10 apps) blocks a new stack, but not a re-run of a stack whose app is already on it', async () => {
    const planPath = `/subscriptions/${SUB}/resourceGroups/rg-wand-class/providers/Microsoft.Web/serverfarms/plan-class-westus2`;
    const fullPlan = {
      method: 'GET',
      path: `/subscriptions/${SUB}/providers/Microsoft.Web/serverfarms`,
      status: 200,
      body: { value: [{ id: planPath, name: 'plan-class-westus2', type: 'Microsoft.Web/serverfarms', location: 'West US 2', kind: 'linux', sku: { name: 'F1', tier: 'Free' }, properties: { numberOfSites: 10, reserved: true } }] },
    };
    const appsOnPlan = (owner: string) => ({
      method: 'GET',
      path: `${planPath}/sites`,
      status: 200,
      body: { value: [{ id: `/subscriptions/${SUB}/resourceGroups/rg-x/providers/Microsoft.Web/sites/wand-${owner}`, name: `wand-${owner}`, type: 'Microsoft.Web/sites', location: 'West US 2', tags: { owner, managedBy: 'pulumi:wandcloud/dev' }, properties: {} }] },
    });
    const run = async (owner: string) => {
      const replay = new ArmReplay([fullPlan, appsOnPlan(owner), ...loadRecording('preflight-student.json')]);
      const report = await runPreflight(inputs({ appServicePlanId: planPath }), preflightClients(replayCredential, replayOptions(replay)));
      expect(replay.unmatched).toEqual([]);
      return byCheck(report, 'freePlan');
    };
    expect((await run('asmith7')).summary).toContain('the F1 maximum');
    expect((await run('jdoe42')).status).toBe('ok');
  });

  it('ML quota used up for the VM family: a blocker offering a size that fits, no instance, or a quota request', async () => {
    const { report, replay } = await preflight(['preflight-quota-exhausted.json']);
    expect(replay.unmatched).toEqual([]);
    const quota = byCheck(report, 'computeQuota');
    expect(quota.status).toBe('blocker');
    expect(quota.summary).toContain('Standard DSv2 Family Cluster Dedicated vCPUs: 6 of 6 in use');
    // Workspace-level entries repeat the subscription's usage and are not counted twice.
    expect(quota.fix[0]).toMatch(/^pulumi config set wandcloud:computeVmSize Standard_F2s_v2 /);
    expect(quota.fix).toContain('pulumi config set wandcloud:computeInstance false   (no instance; train on your machine or a serverless job)');
    expect(quota.fix.some((f) => f.startsWith('request more quota'))).toBe(true);
  });

  it("on a re-run, the vCPUs the stack's own workspace already holds are credited back (at most one instance)", async () => {
    const { report, replay } = await preflight(['preflight-quota-held-by-stack.json', 'preflight-quota-exhausted.json']);
    expect(replay.unmatched).toEqual([]);
    const quota = byCheck(report, 'computeQuota');
    expect(quota.status).toBe('ok');
    expect(quota.details?.heldByThisStack).toBe(2);
    expect(quota.summary).toContain("2 of them held by this stack's own instance");
    // Without the stack's tags (another owner), nothing is credited.
    const other = await preflight(['preflight-quota-held-by-stack.json', 'preflight-quota-exhausted.json'], { stackIdentity: { owner: 'asmith7', managedBy: 'pulumi:wandcloud/dev' } });
    expect(byCheck(other.report, 'computeQuota').status).toBe('blocker');
  });

  it('a size Azure ML does not offer in the region is a blocker; no compute instance needs no quota', async () => {
    const missing = await preflight([], { computeVmSize: 'Standard_NC6s_v3' });
    expect(byCheck(missing.report, 'computeQuota').status).toBe('blocker');
    const none = await preflight([], { computeInstance: false });
    expect(byCheck(none.report, 'computeQuota').status).toBe('ok');
    expect(none.replay.sent.some((r) => r.url.pathname.includes('/vmSizes'))).toBe(false);
  });

  it('a disabled subscription (credit used up) is a blocker', async () => {
    const { report } = await preflight(['preflight-subscription-disabled.json']);
    const sub = byCheck(report, 'subscription');
    expect(sub.status).toBe('blocker');
    expect(sub.summary).toContain('Disabled');
  });
});

describe('preflight when policy cannot be read or is an initiative', () => {
  it('a region the subscription does not have is a blocker before any policy reasoning', async () => {
    const { report } = await preflight([], { location: 'marsnorth1' });
    const region = byCheck(report, 'region');
    expect(region.status).toBe('blocker');
    expect(region.summary).toBe('marsnorth1 is not a region of this subscription');
  });

  it('no visible assignment: a warning on Azure for Students (restricted above the subscription), ok elsewhere', async () => {
    const none = { method: 'GET', path: `/subscriptions/${SUB}/providers/Microsoft.Authorization/policyAssignments`, status: 200, body: { value: [] } };
    const student = new ArmReplay([none, ...loadRecording('preflight-student.json')]);
    const studentReport = await runPreflight(inputs(), preflightClients(replayCredential, replayOptions(student)));
    expect(byCheck(studentReport, 'region').status).toBe('warning');
    expect(byCheck(studentReport, 'region').summary).toContain('RequestDisallowedByAzure');
    const payg = loadRecording('preflight-student.json');
    (payg[0].body as { subscriptionPolicies: { quotaId: string } }).subscriptionPolicies.quotaId = 'PayAsYouGo_2014-09-01';
    const other = new ArmReplay([none, ...payg]);
    expect(byCheck(await runPreflight(inputs(), preflightClients(replayCredential, replayOptions(other))), 'region').status).toBe('ok');
  });

  it('a 403 on policy assignments says "could not read policy, check manually" and does not block', async () => {
    const { report, replay } = await preflight(['preflight-policy-forbidden.json']);
    expect(replay.unmatched).toEqual([]);
    const region = byCheck(report, 'region');
    expect(region.status).toBe('unchecked');
    expect(region.summary).toMatch(/^could not read policy, check manually/);
    expect(region.summary).toContain('HTTP 403 AuthorizationFailed');
    expect(region.fix[0]).toContain('az policy assignment list');
    expect(report.blockers).toBe(0);
  });

  it('a management group initiative: member lists resolved through the set parameters, and every list must allow the region', async () => {
    const ok = await preflight(['preflight-policy-set.json']);
    expect(ok.replay.unmatched).toEqual([]);
    expect(byCheck(ok.report, 'region').details?.allowed).toEqual(['westus2', 'westus3']);
    // eastus is in one member's list but not in the assignment's allowedRegions.
    const refused = await preflight(['preflight-policy-set.json', 'preflight-region-disallowed.json'], { location: 'eastus' });
    expect(byCheck(refused.report, 'region').status).toBe('blocker');
  });

  it("an unreadable definition falls back to the assignment's listOfAllowedLocations", async () => {
    const forbidden = {
      method: 'GET',
      path: '/providers/Microsoft.Authorization/policyDefinitions/e56962a6-4747-49cd-b67b-bf8b01975c4c',
      status: 403,
      body: { error: { code: 'AuthorizationFailed', message: 'no read on the definition' } },
    };
    const replay = new ArmReplay([forbidden, ...loadRecording('preflight-region-disallowed.json'), ...loadRecording('preflight-student.json')]);
    const report = await runPreflight(inputs({ location: 'eastus' }), preflightClients(replayCredential, replayOptions(replay)));
    const region = byCheck(report, 'region');
    expect(region.status).toBe('blocker');
    expect((region.details?.restrictions as { source: string }[])[0].source).toBe('parameter');
  });
});
