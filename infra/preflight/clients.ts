import { WebSiteManagementClient } from '@azure/arm-appservice';
import { AzureMachineLearningWorkspaces } from '@azure/arm-machinelearning';
import { PolicyClient, type PolicyClientOptionalParams } from '@azure/arm-policy';
import { ResourceManagementClient } from '@azure/arm-resources';
import { SubscriptionClient } from '@azure/arm-resources-subscriptions';
import type { TokenCredential } from '@azure/identity';

/** The ARM clients the checks read through, for one subscription. Built here so tests pass another transport. */
export interface ArmClients {
  policy: PolicyClient;
  resources: ResourceManagementClient;
  web: WebSiteManagementClient;
  ml: AzureMachineLearningWorkspaces;
}

/** Pipeline options every `@azure/arm-*` client accepts (transport, retries). */
export type ArmClientOptions = Pick<PolicyClientOptionalParams, 'httpClient' | 'retryOptions'>;

export interface PreflightClients {
  subscriptions: SubscriptionClient;
  forSubscription: (subscriptionId: string) => ArmClients;
}

export function preflightClients(credential: TokenCredential, options: ArmClientOptions = {}): PreflightClients {
  return {
    subscriptions: new SubscriptionClient(credential, options),
    forSubscription: (subscriptionId) => ({
      policy: new PolicyClient(credential, subscriptionId, options),
      resources: new ResourceManagementClient(credential, subscriptionId, options),
      web: new WebSiteManagementClient(credential, subscriptionId, options),
      ml: new AzureMachineLearningWorkspaces(credential, subscriptionId, options),
    }),
  };
}
