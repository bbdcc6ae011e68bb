import * as pulumi from '@pulumi/pulumi';
import * as azuread from '@pulumi/azuread';
import * as authorization from '@pulumi/azure-native/authorization';
import * as resources from '@pulumi/azure-native/resources';
import * as random from '@pulumi/random';
import { ResourceGroupBudget, monthStart } from './components/budget';
import { ComputeInstance, type AssignedUser } from './components/computeInstance';
import { GestureData } from './components/gestureData';
import { GithubDeployment } from './components/githubDeployment';
import { InferenceApp } from './components/inferenceApp';
import { MlWorkspace } from './components/mlWorkspace';
import { ModelRegistration } from './components/modelRegistration';
import type { StackConfig } from './config/schema';
import { readModelFolder } from '../azureml/src/registry/modelFolder';
import { stackNames } from './naming';
import { stackTags } from './tags';

/** What `pulumi stack output` shows; the GitHub values are the repository's secrets for the deploy workflow. */
export interface WandStackOutputs {
  resourceGroupName: pulumi.Output<string>;
  appUrl: pulumi.Output<string>;
  predictUrl: pulumi.Output<string>;
  webAppName: pulumi.Output<string>;
  workspaceName: pulumi.Output<string>;
  storageAccountName: pulumi.Output<string>;
  keyVaultName: pulumi.Output<string>;
  gestureContainer: pulumi.Output<string>;
  datastoreName: pulumi.Output<string>;
  dataAssetName: pulumi.Output<string>;
  dataAssetVersion: pulumi.Output<string>;
  modelName: pulumi.Output<string>;
  modelVersion: pulumi.Output<string>;
  computeInstanceName: pulumi.Output<string | undefined>;
  /** ARM_CLIENT_ID, ARM_TENANT_ID, ARM_SUBSCRIPTION_ID for `azure/login` and Pulumi with `ARM_USE_OIDC=true`. */
  githubClientId: pulumi.Output<string>;
  githubTenantId: pulumi.Output<string>;
  githubSubscriptionId: pulumi.Output<string>;
  githubSubjects: string[];
  apiKey: pulumi.Output<string>;
}

export interface StackDependencies {
  /** The clock, for the budget's start month. */
  now?: Date;
}

/** Looks up the student for the compute instance: a GUID is taken as the objectId, anything else as a UPN. */
function resolveStudent(user: string): AssignedUser {
  const isObjectId = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(user);
  const found = azuread.getUserOutput(isObjectId ? { objectId: user } : { userPrincipalName: user });
  return { objectId: found.objectId, tenantId: azuread.getClientConfigOutput().tenantId };
}

/** Declares one student's whole Lab 5 environment from a validated configuration. */
export function defineWandStack(cfg: StackConfig, deps: StackDependencies = {}): WandStackOutputs {
  const names = stackNames(cfg.owner, cfg.stack);
  const tags = stackTags(cfg);
  const client = authorization.getClientConfigOutput();
  const model = readModelFolder(cfg.modelDir);

  const group = new resources.ResourceGroup('group', { resourceGroupName: names.resourceGroup, location: cfg.location, tags });
  const rg = group.name;

  const ml = new MlWorkspace('ml', {
    resourceGroupName: rg,
    location: cfg.location,
    tenantId: client.tenantId,
    names,
    tags,
  });

  const student = cfg.computeAssignedUser ? resolveStudent(cfg.computeAssignedUser) : undefined;

  const compute = cfg.computeInstance
    ? new ComputeInstance('compute', {
        resourceGroupName: rg,
        workspaceName: ml.workspaceName,
        location: cfg.location,
        computeName: names.computeInstance,
        vmSize: cfg.computeVmSize,
        idleShutdownMinutes: cfg.computeIdleShutdownMinutes,
        nightlyStopTime: cfg.computeNightlyStopTime,
        timeZone: cfg.computeTimeZone,
        assignedUser: student,
        tags,
      })
    : undefined;

  const data = new GestureData('gestures', {
    resourceGroupName: rg,
    workspaceName: ml.workspaceName,
    workspacePrincipalId: ml.workspacePrincipalId,
    storageAccountName: ml.storageAccountName,
    storageAccountId: ml.storageAccountId,
    subscriptionId: client.subscriptionId,
    uploaderObjectId: student?.objectId,
    tags,
  });

  const registration = new ModelRegistration('model', {
    resourceGroupName: rg,
    workspaceName: ml.workspaceName,
    subscriptionId: client.subscriptionId,
    storageAccountName: ml.storageAccountName,
    blobEndpoint: ml.blobEndpoint,
    model,
    tags,
  });

  const apiKey = cfg.apiKey
    ? pulumi.secret(cfg.apiKey)
    : new random.RandomPassword('api-key', { length: 48, special: false }).result;

  const app = new InferenceApp('inference', {
    resourceGroupName: rg,
    location: cfg.location,
    subscriptionId: client.subscriptionId,
    names,
    existingPlanId: cfg.appServicePlanId,
    storageAccountName: ml.storageAccountName,
    storageAccountId: ml.storageAccountId,
    blobEndpoint: ml.blobEndpoint,
    servicePackagePath: cfg.servicePackage,
    apiKey,
    keyVaultName: ml.keyVaultName,
    appInsightsConnectionString: ml.appInsightsConnectionString,
    tags,
  });

  const github = new GithubDeployment('github', {
    kind: cfg.githubIdentity,
    repo: cfg.githubRepo,
    branch: cfg.githubBranch,
    resourceGroupName: rg,
    resourceGroupId: group.id,
    location: cfg.location,
    subscriptionId: client.subscriptionId,
    tenantId: client.tenantId,
    identityName: names.githubIdentity,
    deployerObjectId: client.objectId,
    assignableRoles: ['storageBlobDataReader', 'storageBlobDataContributor'],
    tags,
  });

  if (cfg.budgetAmount !== undefined) {
    const startDate = monthStart(deps.now ?? new Date());
    const expiry = `${cfg.expiresOn}T00:00:00Z`;
    new ResourceGroupBudget('budget', {
      resourceGroupId: group.id,
      budgetName: names.budget,
      amount: cfg.budgetAmount,
      contactEmails: cfg.budgetEmails,
      startDate,
      // A budget must end after it starts; an expiry in the current month keeps it for the month.
      endDate: expiry > startDate ? expiry : monthStart(new Date(Date.parse(startDate) + 32 * 86_400_000)),
    });
  }

  return {
    resourceGroupName: rg,
    appUrl: app.appUrl,
    predictUrl: app.predictUrl,
    webAppName: app.webAppName,
    workspaceName: ml.workspaceName,
    storageAccountName: ml.storageAccountName,
    keyVaultName: ml.keyVaultName,
    gestureContainer: data.containerName,
    datastoreName: data.datastoreName,
    dataAssetName: data.dataAssetName,
    dataAssetVersion: data.dataAssetVersion,
    modelName: registration.modelName,
    modelVersion: registration.modelVersion,
    computeInstanceName: compute ? compute.computeName : pulumi.output(undefined),
    githubClientId: github.clientId,
    githubTenantId: github.tenantId,
    githubSubscriptionId: github.subscriptionId,
    githubSubjects: github.subjects,
    apiKey: pulumi.secret(apiKey),
  };
}
