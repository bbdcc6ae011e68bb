import type { AzureMachineLearningWorkspaces, Usage, VirtualMachineSize } from '@azure/arm-machinelearning';
import { collect, describeFailure, tryArm } from './armError';
import { finding, type Finding } from './findings';

export interface ComputeContext {
  location: string;
  computeInstance: boolean;
  vmSize: string;
  /** The stack's own ML workspaces (already deployed): the quota their compute holds is credited back. */
  ownWorkspaceIds?: string[];
}

/** The subscription-level quota entries (the list also repeats them per workspace and per compute). */
const SUBSCRIPTION_USAGE = /^\/subscriptions\/[^/]+\/usages(\/|$)/i;
const REGIONAL_TOTAL = 'total cluster dedicated regional vcpus';

/**
 * `vmSizes` names a family `standardDSv2Family`; `usages` counts it as "Standard DSv2 Family Cluster Dedicated vCPUs"
 * (id `.../usages/Standard_DSv2_Family_Cluster_Dedicated_vCPUs`). Compute instances draw on this dedicated quota
 * too, which Azure ML shares between clusters and instances.
 */
export const familyUsageName = (family: string): string => `standard ${family.replace(/^standard/i, '').replace(/family$/i, '')} family cluster dedicated vcpus`.toLowerCase();

const free = (u: Usage | undefined): number => (u === undefined || (u.limit ?? 0) < 0 ? Infinity : (u.limit ?? 0) - (u.currentValue ?? 0));

const describeUsage = (u: Usage) => `${u.currentValue ?? 0} of ${u.limit ?? 0} in use`;

/**
 * Whether the ML compute quota in the region leaves room for one instance of the chosen size: its family's
 * dedicated vCPUs and the regional total. Without room, Azure ML accepts the workspace and then fails the
 * instance with a quota error halfway through `pulumi up`.
 */
export async function computeQuotaFinding(ml: AzureMachineLearningWorkspaces, ctx: ComputeContext): Promise<Finding> {
  if (!ctx.computeInstance) return finding('computeQuota', 'ok', 'no compute instance (wandcloud:computeInstance false): no quota needed');
  const sizes = await tryArm(() => ml.virtualMachineSizes.list(ctx.location));
  const usages = await tryArm(() => collect(ml.usages.list(ctx.location)));
  if (!sizes.ok || !usages.ok) {
    const failure = !sizes.ok ? sizes.failure : !usages.ok ? usages.failure : undefined;
    const unregistered = failure?.code === 'MissingSubscriptionRegistration';
    return finding(
      'computeQuota',
      'unchecked',
      unregistered
        ? 'ML quota cannot be read until Microsoft.MachineLearningServices is registered: register it, then run the preflight again'
        : `could not read the ML quota in ${ctx.location} (${failure ? describeFailure(failure) : 'unknown'}): check by hand`,
      unregistered ? ['az provider register --namespace Microsoft.MachineLearningServices'] : [`az ml compute list-usage --location ${ctx.location} -o table`],
    );
  }
  const offered = (sizes.value.value ?? []).filter((s) => s.supportedComputeTypes?.includes('ComputeInstance') ?? true);
  const size = offered.find((s) => s.name?.toLowerCase() === ctx.vmSize.toLowerCase());
  const subscriptionUsages = usages.value.filter((u) => SUBSCRIPTION_USAGE.test(u.id ?? ''));
  const byName = (name: string) => subscriptionUsages.find((u) => u.name?.value?.toLowerCase() === name);
  const regional = byName(REGIONAL_TOTAL);
  const room = (s: VirtualMachineSize) => Math.min(free(byName(familyUsageName(s.family ?? ''))), free(regional));
  const fits = (s: VirtualMachineSize) => (s.vCPUs ?? Infinity) <= room(s) && byName(familyUsageName(s.family ?? '')) !== undefined;
  const alternatives = offered
    .filter((s) => s.name !== size?.name && fits(s))
    .sort((a, b) => (a.vCPUs ?? 0) - (b.vCPUs ?? 0) || (a.memoryGB ?? 0) - (b.memoryGB ?? 0))
    .slice(0, 3)
    .map((s) => `${s.name} (${s.vCPUs} vCPUs, ${s.memoryGB} GB)`);
  const otherSizes = alternatives.length > 0 ? [`pulumi config set wandcloud:computeVmSize ${alternatives[0].split(' ')[0]}   (fits the quota: ${alternatives.join(', ')})`] : [];
  const noInstance = 'pulumi config set wandcloud:computeInstance false   (no instance; train on your machine or a serverless job)';
  const requestQuota = 'request more quota: Azure ML studio > Quota, or the portal: Quotas > Machine learning (student offers may refuse)';

  if (!size) {
    return finding('computeQuota', 'blocker', `Azure ML does not offer ${ctx.vmSize} for compute instances in ${ctx.location}`, [...otherSizes, noInstance], {
      vmSize: ctx.vmSize,
    });
  }
  const family = byName(familyUsageName(size.family ?? ''));
  const needed = size.vCPUs ?? 0;
  // A re-run does not need a second instance: what the stack's own workspace holds (at most one instance) counts as free.
  const ownPrefixes = (ctx.ownWorkspaceIds ?? []).map((id) => `${id.toLowerCase()}/usages/`);
  const held = usages.value
    .filter((u) => ownPrefixes.some((p) => (u.id ?? '').toLowerCase().startsWith(p)) && u.name?.value?.toLowerCase() === familyUsageName(size.family ?? ''))
    .reduce((sum, u) => sum + (u.currentValue ?? 0), 0);
  const credit = Math.min(held, needed);
  const details = { vmSize: size.name, family: size.family, vCPUs: needed, heldByThisStack: credit, familyUsage: family ?? null, regionalUsage: regional ?? null };
  if (!family) {
    return finding('computeQuota', 'unchecked', `no quota entry for ${size.family} in ${ctx.location}: check by hand`, [`az ml compute list-usage --location ${ctx.location} -o table`], details);
  }
  const short = [
    ...(free(family) + credit < needed ? [`${family.name?.value}: ${describeUsage(family)}`] : []),
    ...(regional && free(regional) + credit < needed ? [`regional total: ${describeUsage(regional)}`] : []),
  ];
  if (short.length > 0) {
    return finding('computeQuota', 'blocker', `${size.name} needs ${needed} vCPUs of ML quota in ${ctx.location}, not available (${short.join('; ')})`, [...otherSizes, noInstance, requestQuota], details);
  }
  const ownNote = credit > 0 ? `, ${credit} of them held by this stack's own instance` : '';
  return finding('computeQuota', 'ok', `${size.name} (${needed} vCPUs) fits the ML quota in ${ctx.location} (${size.family}: ${describeUsage(family)}${ownNote})`, [], details);
}
