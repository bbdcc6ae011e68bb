/**
 * The Pulumi program (Pulumi.yaml: `main: infra/`). The configuration is validated before any
 * resource is declared; a bad value stops here with the key and the rule.
 */
import { resolve } from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import * as authorization from '@pulumi/azure-native/authorization';
import { DefaultAzureCredential } from '@azure/identity';
import { loadStackConfig } from './config/load';
import { pulumiConfigSource } from './config/pulumiSource';
import { preflightClients } from './preflight/clients';
import { preflightGate } from './preflight/gate';
import { defineWandStack } from './stack';

const config = loadStackConfig(pulumiConfigSource, { stack: pulumi.getStack(), rootDir: resolve(__dirname, '..') });
// The preflight reads the subscription the provider deploys to, with the same sign-in (az login, or azure/login in CI).
const preflight = config.preflight
  ? authorization.getClientConfigOutput().subscriptionId.apply((subscriptionId) => preflightGate(config, subscriptionId, preflightClients(new DefaultAzureCredential())))
  : undefined;
const stack = defineWandStack(config, { preflight });

export const resourceGroupName = stack.resourceGroupName;
export const location = stack.location;
export const appUrl = stack.appUrl;
export const predictUrl = stack.predictUrl;
export const webAppName = stack.webAppName;
export const workspaceName = stack.workspaceName;
export const storageAccountName = stack.storageAccountName;
export const keyVaultName = stack.keyVaultName;
export const logAnalyticsName = stack.logAnalyticsName;
export const modelsContainer = stack.modelsContainer;
export const modelsDatastore = stack.modelsDatastore;
export const blobEndpoint = stack.blobEndpoint;
export const gestureContainer = stack.gestureContainer;
export const datastoreName = stack.datastoreName;
export const dataAssetName = stack.dataAssetName;
export const dataAssetVersion = stack.dataAssetVersion;
export const poolDatastore = stack.poolDatastore;
export const poolContainer = stack.poolContainer;
export const modelName = stack.modelName;
export const modelVersion = stack.modelVersion;
export const computeInstanceName = stack.computeInstanceName;
export const githubClientId = stack.githubClientId;
export const githubPrincipalId = stack.githubPrincipalId;
export const githubTenantId = stack.githubTenantId;
export const githubSubscriptionId = stack.githubSubscriptionId;
export const githubSubjects = stack.githubSubjects;
export const apiKey = stack.apiKey;
