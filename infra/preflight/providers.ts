import type { ResourceManagementClient } from '@azure/arm-resources';
import { describeFailure, tryArm } from './armError';
import { finding, normalizeRegion, type Finding } from './findings';

/** A resource provider the stack needs, and the resource type whose regions say whether it is offered where the stack goes. */
export interface NeededProvider {
  namespace: string;
  why: string;
  /** `deploy`: `pulumi up` fails without it; `later`: only a later step (Azure ML's first environment build) needs it. */
  when: 'deploy' | 'later';
  resourceType?: string;
}

export interface ProviderNeeds {
  githubIdentity: 'managedIdentity' | 'entraApplication';
  budget: boolean;
}

/** The namespaces behind what `infra/components/` declares, for this stack's configuration. */
export function neededProviders(needs: ProviderNeeds): NeededProvider[] {
  return [
    { namespace: 'Microsoft.MachineLearningServices', why: 'ML workspace, compute instance, model registry', when: 'deploy', resourceType: 'workspaces' },
    { namespace: 'Microsoft.Web', why: 'App Service plan and web app', when: 'deploy', resourceType: 'serverfarms' },
    { namespace: 'Microsoft.Storage', why: 'storage account', when: 'deploy', resourceType: 'storageAccounts' },
    { namespace: 'Microsoft.KeyVault', why: 'Key Vault', when: 'deploy', resourceType: 'vaults' },
    { namespace: 'Microsoft.Insights', why: 'Application Insights', when: 'deploy', resourceType: 'components' },
    { namespace: 'Microsoft.OperationalInsights', why: 'Log Analytics workspace', when: 'deploy', resourceType: 'workspaces' },
    ...(needs.githubIdentity === 'managedIdentity'
      ? [{ namespace: 'Microsoft.ManagedIdentity', why: 'the GitHub deployment identity', when: 'deploy' as const, resourceType: 'userAssignedIdentities' }]
      : []),
    ...(needs.budget ? [{ namespace: 'Microsoft.Consumption', why: 'the budget (wandcloud:budgetAmount)', when: 'deploy' as const }] : []),
    { namespace: 'Microsoft.ContainerRegistry', why: "the registry Azure ML creates on its first environment build", when: 'later' },
  ];
}

const register = (namespace: string) => `az provider register --namespace ${namespace}`;

/**
 * Reads each provider's registration state, and whether its main resource type is offered in the region (the
 * type's `locations` use display names such as "West US 2"). Registration needs Contributor or Owner on the
 * subscription; it takes a few minutes, `az provider show -n X --query registrationState` says when it is done.
 */
export async function providersFinding(resources: ResourceManagementClient, needed: NeededProvider[], location: string, regionDisplayName?: string): Promise<Finding> {
  const unregistered: NeededProvider[] = [];
  const registering: string[] = [];
  const notOffered: string[] = [];
  const unreadable: string[] = [];
  const here = new Set([normalizeRegion(location), ...(regionDisplayName ? [normalizeRegion(regionDisplayName)] : [])]);
  for (const need of needed) {
    const read = await tryArm(() => resources.providers.get(need.namespace));
    if (!read.ok) {
      unreadable.push(`${need.namespace} (${describeFailure(read.failure)})`);
      continue;
    }
    const state = read.value.registrationState ?? 'Unknown';
    if (state === 'Registering') registering.push(need.namespace);
    else if (state !== 'Registered') unregistered.push(need);
    const type = need.resourceType && read.value.resourceTypes?.find((t) => t.resourceType?.toLowerCase() === need.resourceType?.toLowerCase());
    if (type && type.locations && type.locations.length > 0 && !type.locations.some((l) => here.has(normalizeRegion(l)))) {
      notOffered.push(`${need.namespace}/${need.resourceType}`);
    }
  }
  const details = { unregistered: unregistered.map((n) => n.namespace), registering, notOffered, unreadable };
  const blocking = unregistered.filter((n) => n.when === 'deploy');
  if (blocking.length > 0 || notOffered.length > 0) {
    const parts = [
      ...(blocking.length > 0 ? [`not registered: ${blocking.map((n) => `${n.namespace} (${n.why})`).join(', ')}`] : []),
      ...(notOffered.length > 0 ? [`not offered in ${location}: ${notOffered.join(', ')}`] : []),
    ];
    const fix = [...unregistered.map((n) => register(n.namespace)), ...(notOffered.length > 0 ? ['pulumi config set azure-native:location <a region that offers them>'] : [])];
    return finding('providers', 'blocker', parts.join('; '), fix, details);
  }
  if (unregistered.length > 0 || registering.length > 0) {
    const parts = [
      ...unregistered.map((n) => `${n.namespace} is not registered (needed later: ${n.why})`),
      ...registering.map((ns) => `${ns} is still registering (wait a few minutes)`),
    ];
    return finding('providers', 'warning', parts.join('; '), unregistered.map((n) => register(n.namespace)), details);
  }
  if (unreadable.length > 0) {
    return finding('providers', 'unchecked', `could not read ${unreadable.join(', ')}: check with az provider show -n <namespace>`, [], details);
  }
  return finding('providers', 'ok', `all ${needed.length} resource providers are registered`, [], details);
}
