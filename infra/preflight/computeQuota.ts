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

/** One region's ML quota as `usages` reports it: per VM family, the regional total, and per workspace. */
class RegionQuota {
  private readonly subscriptionLevel: Usage[];
  readonly regional: Usage | undefined;

  constructor(private readonly usages: Usage[]) {
    this.subscriptionLevel = usages.filter((u) => SUBSCRIPTION_USAGE.test(u.id ?? ''));
    this.regional = this.named(REGIONAL_TOTAL);
  }

  private named(name: string): Usage | undefined {
    return this.subscriptionLevel.find((u) => u.name?.value?.toLowerCase() === name);
  }

  family(size: VirtualMachineSize): Usage | undefined {
    return this.named(familyUsageName(size.family ?? ''));
  }

  /** vCPUs of the size's family that the given workspaces hold (workspace-level entries, not per compute). */
  heldBy(workspaceIds: string[], size: VirtualMachineSize): number {
    const prefixes = workspaceIds.map((id) => `${id.toLowerCase()}/usages/`);
    const name = familyUsageName(size.family ?? '');
    return this.usages
      .filter((u) => prefixes.some((p) => (u.id ?? '').toLowerCase().startsWith(p)) && u.name?.value?.toLowerCase() === name)
      .reduce((sum, u) => sum + (u.currentValue ?? 0), 0);
  }

  /** vCPUs one more instance of this size may take: the tighter of its family and the regional total. */
  room(size: VirtualMachineSize, credit = 0): number {
    return this.family(size) === undefined ? 0 : Math.min(free(this.family(size)), free(this.regional)) + credit;
  }
}

const FIX_NO_INSTANCE = 'pulumi config set wandcloud:computeInstance false   (no instance; train on your machine or a serverless job)';
const FIX_REQUEST_QUOTA = 'request more quota: Azure ML studio > Quota, or the portal: Quotas > Machine learning (student offers may refuse)';
const checkByHand = (location: string) => `az ml compute list-usage --location ${location} -o table`;

/** Up to three other sizes that fit the quota, smallest first, as a `computeVmSize` fix. */
function smallerSizes(offered: VirtualMachineSize[], quota: RegionQuota, except: string): string[] {
  const fitting = offered
    .filter((s) => s.name !== except && (s.vCPUs ?? Infinity) <= quota.room(s))
    .sort((a, b) => (a.vCPUs ?? 0) - (b.vCPUs ?? 0) || (a.memoryGB ?? 0) - (b.memoryGB ?? 0))
    .slice(0, 3);
  if (fitting.length === 0) return [];
  const listed = fitting.map((s) => `${s.name} (${s.vCPUs} vCPUs, ${s.memoryGB} GB)`).join(', ');
  return [`pulumi config set wandcloud:computeVmSize ${fitting[0].name}   (fits the quota: ${listed})`];
}

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
    if (failure?.code === 'MissingSubscriptionRegistration') {
      return finding('computeQuota', 'unchecked', 'ML quota cannot be read until Microsoft.MachineLearningServices is registered: register it, then run the preflight again', [
        'az provider register --namespace Microsoft.MachineLearningServices',
      ]);
    }
    return finding('computeQuota', 'unchecked', `could not read the ML quota in ${ctx.location} (${failure ? describeFailure(failure) : 'unknown'}): check by hand`, [checkByHand(ctx.location)]);
  }
  const offered = (sizes.value.value ?? []).filter((s) => s.supportedComputeTypes?.includes('ComputeInstance') ?? true);
  const quota = new RegionQuota(usages.value);
  const size = offered.find((s) => s.name?.toLowerCase() === ctx.vmSize.toLowerCase());
  if (!size) {
    return finding('computeQuota', 'blocker', `Azure ML does not offer ${ctx.vmSize} for compute instances in ${ctx.location}`, [...smallerSizes(offered, quota, ''), FIX_NO_INSTANCE], {
      vmSize: ctx.vmSize,
    });
  }
  const family = quota.family(size);
  const needed = size.vCPUs ?? 0;
  // A re-run does not need a second instance: what the stack's own workspace holds (at most one instance) counts as free.
  const credit = Math.min(quota.heldBy(ctx.ownWorkspaceIds ?? [], size), needed);
  const details = { vmSize: size.name, family: size.family, vCPUs: needed, heldByThisStack: credit, familyUsage: family ?? null, regionalUsage: quota.regional ?? null };
  if (!family) return finding('computeQuota', 'unchecked', `no quota entry for ${size.family} in ${ctx.location}: check by hand`, [checkByHand(ctx.location)], details);
  if (quota.room(size, credit) < needed) {
    const short = [
      ...(free(family) + credit < needed ? [`${family.name?.value}: ${describeUsage(family)}`] : []),
      ...(quota.regional && free(quota.regional) + credit < needed ? [`regional total: ${describeUsage(quota.regional)}`] : []),
    ];
    return finding(
      'computeQuota',
      'blocker',
      `${size.name} needs ${needed} vCPUs of ML quota in ${ctx.location}, not available (${short.join('; ')})`,
      [...smallerSizes(offered, quota, size.name ?? ''), FIX_NO_INSTANCE, FIX_REQUEST_QUOTA],
      details,
    );
  }
  const ownNote = credit > 0 ? `, ${credit} of them held by this stack's own instance` : '';
  return finding('computeQuota', 'ok', `${size.name} (${needed} vCPUs) fits the ML quota in ${ctx.location} (${size.family}: ${describeUsage(family)}${ownNote})`, [], details);
}
