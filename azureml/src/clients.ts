import { AzureMachineLearningWorkspaces, type AzureMachineLearningWorkspacesOptionalParams } from '@azure/arm-machinelearning';
import type { TokenCredential } from '@azure/identity';
import type { ContainerClient } from '@azure/storage-blob';
import { connectContainer } from '../../datasync/src/remote';
import type { RegistryTarget } from './registry/modelRegistry';
import type { StackOutputs } from './stack/outputs';

/** The ML REST API version the tools speak; the 2.1.1 client would default to 2022-10-01 (no serverless jobs). */
export const ML_API_VERSION = '2024-10-01';

export function mlClient(credential: TokenCredential, subscriptionId: string, options: AzureMachineLearningWorkspacesOptionalParams = {}): AzureMachineLearningWorkspaces {
  return new AzureMachineLearningWorkspaces(credential, subscriptionId, { ...options, apiVersion: ML_API_VERSION });
}

export const registryTarget = (o: StackOutputs): RegistryTarget => ({
  subscriptionId: o.githubSubscriptionId,
  resourceGroupName: o.resourceGroupName,
  workspaceName: o.workspaceName,
  datastore: o.modelsDatastore,
});

/**
 * A container of the stack's storage account: signed in with Entra ID (the stack allows no shared keys), or
 * through AZURE_STORAGE_CONNECTION_STRING when it is set (Azurite in tests), as `npm run data:upload` does.
 */
export const stackContainer = (outputs: StackOutputs, container: string, env: NodeJS.ProcessEnv = process.env, accountUrl = outputs.blobEndpoint): ContainerClient =>
  connectContainer({ container, connectionString: env.AZURE_STORAGE_CONNECTION_STRING || undefined, accountUrl });
