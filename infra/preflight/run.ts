import type { PreflightClients } from './clients';
import { computeQuotaFinding } from './computeQuota';
import { normalizeRegion, type Finding } from './findings';
import { freePlanFinding } from './freePlan';
import { stackWorkspaceIds, type StackIdentity } from './ownership';
import { neededProviders, providersFinding } from './providers';
import { readRegionPolicy, regionFinding } from './regionPolicy';
import { isStudentOffer, resolveSubscription, subscriptionFinding, subscriptionRegions } from './subscription';

/** What the stack will ask Azure for: the values of its config the checks depend on. */
export interface PreflightInputs {
  subscriptionId?: string;
  location: string;
  computeInstance: boolean;
  computeVmSize: string;
  appServicePlanId?: string;
  githubIdentity: 'managedIdentity' | 'entraApplication';
  budget: boolean;
  /** The stack's owner and `managedBy` tags, when the stack and its owner are known: recognises what it already deployed. */
  stackIdentity?: StackIdentity;
  stack?: string;
}

export interface PreflightReport {
  stack: string | null;
  subscription: { id: string; name: string | null; offer: string | null };
  location: string;
  computeVmSize: string | null;
  findings: Finding[];
  blockers: number;
}

/** Reads the subscription with the caller's sign-in and reports each check; it creates and changes nothing. */
export async function runPreflight(inputs: PreflightInputs, clients: PreflightClients): Promise<PreflightReport> {
  const subscription = await resolveSubscription(clients.subscriptions, inputs.subscriptionId);
  const subscriptionId = subscription.subscriptionId ?? inputs.subscriptionId ?? '';
  const arm = clients.forSubscription(subscriptionId);
  const regions = await subscriptionRegions(clients.subscriptions, subscriptionId);
  const displayName = regions?.find((r) => normalizeRegion(r.name ?? '') === normalizeRegion(inputs.location))?.displayName;

  const region = regionFinding(
    { location: inputs.location, knownRegions: regions?.map((r) => r.name ?? ''), student: isStudentOffer(subscription) },
    await readRegionPolicy(arm.policy, subscriptionId),
  );
  const [providers, freePlan, computeQuota] = await Promise.all([
    providersFinding(arm.resources, neededProviders(inputs), inputs.location, displayName),
    freePlanFinding(arm.web, {
      location: inputs.location,
      regionDisplayName: displayName,
      appServicePlanId: inputs.appServicePlanId,
      stackIdentity: inputs.stackIdentity,
      allowedRegions: region.allowed,
    }),
    stackWorkspaceIds(arm.resources, inputs.stackIdentity).then((ownWorkspaceIds) =>
      computeQuotaFinding(arm.ml, { location: inputs.location, computeInstance: inputs.computeInstance, vmSize: inputs.computeVmSize, ownWorkspaceIds }),
    ),
  ]);
  const findings = [subscriptionFinding(subscription), region.finding, providers, freePlan, computeQuota];
  return {
    stack: inputs.stack ?? null,
    subscription: { id: subscriptionId, name: subscription.displayName ?? null, offer: subscription.subscriptionPolicies?.quotaId ?? null },
    location: inputs.location,
    computeVmSize: inputs.computeInstance ? inputs.computeVmSize : null,
    findings,
    blockers: findings.filter((f) => f.status === 'blocker').length,
  };
}
