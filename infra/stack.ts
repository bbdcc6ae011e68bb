import * as pulumi from '@pulumi/pulumi';
import * as authorization from '@pulumi/azure-native/authorization';
import * as resources from '@pulumi/azure-native/resources';
import * as random from '@pulumi/random';
import { ResourceGroupBudget, monthStart } from './components/budget';
import { ComputeInstance } from './components/computeInstance';
import { GestureData } from './components/gestureData';
import { GithubDeployment } from './components/githubDeployment';
import { InferenceApp } from './components/inferenceApp';
import { MlWorkspace } from './components/mlWorkspace';
import { identityDatastore } from './components/identityDatastore';
import { ModelRegistry } from './components/modelRegistry';
import { StudentAccess } from './components/studentAccess';
import type { StackConfig } from './config/schema';
import { readManifest } from '../gesture/src/manifest';
import { globalNames, UNIQUE_SUFFIX, stackNames, type GlobalNames } from './naming';
import { containerScope } from './roles';
import { stackTags } from './tags';

/** What `pulumi stack output` shows; the GitHub values are the repository's secrets for the deploy workflow. */
export interface WandStackOutputs {
  resourceGroupName: pulumi.Output<string>;
  location: pulumi.Output<string>;
  appUrl: pulumi.Output<string>;
  predictUrl: pulumi.Output<string>;
  webAppName: pulumi.Output<string>;
  workspaceName: pulumi.Output<string>;
  storageAccountName: pulumi.Output<string>;
  keyVaultName: pulumi.Output<string>;
  logAnalyticsName: pulumi.Output<string>;
  modelsContainer: pulumi.Output<string>;
  modelsDatastore: pulumi.Output<string>;
  blobEndpoint: pulumi.Output<string>;
  gestureContainer: pulumi.Output<string>;
  datastoreName: pulumi.Output<string>;
  dataAssetName: pulumi.Output<string>;
  dataAssetVersion: pulumi.Output<string>;
  /** The workspace's datastore over the class pool (`wandcloud:classPool`), when the stack is part of a class. */
  poolDatastore: pulumi.Output<string | undefined>;
  /** `<account>/<container>` of the class pool, for `npm run data:upload`/training; undefined outside a class. */
  poolContainer: pulumi.Output<string | undefined>;
  modelName: pulumi.Output<string>;
  /** The registered version the app serves (`wandcloud:modelVersion`); empty before the first registration. */
  modelVersion: pulumi.Output<string>;
  computeInstanceName: pulumi.Output<string | undefined>;
  /** ARM_CLIENT_ID, ARM_TENANT_ID, ARM_SUBSCRIPTION_ID for `azure/login` and Pulumi with `ARM_USE_OIDC=true`. */
  githubClientId: pulumi.Output<string>;
  /** The deploy identity's objectId: what is left of it after teardown is its role on the state container. */
  githubPrincipalId: pulumi.Output<string>;
  githubTenantId: pulumi.Output<string>;
  githubSubscriptionId: pulumi.Output<string>;
  githubSubjects: string[];
  apiKey: pulumi.Output<string>;
}

export interface StackDependencies {
  /** The clock, for the budget's start month. */
  now?: Date;
  /** Resolves when the preflight found nothing blocking; the resource group, and so everything, waits for it. */
  preflight?: pulumi.Output<void>;
}

/** Declares one student's whole Lab 5 environment from a validated configuration. */
export function defineWandStack(cfg: StackConfig, deps: StackDependencies = {}): WandStackOutputs {
  // Kept in state: the same stack keeps its names on every `pulumi up`, a new stack gets new ones.
  const unique = new random.RandomString('name-suffix', { length: UNIQUE_SUFFIX.length, upper: false, special: false });
  const names = stackNames(cfg.owner, cfg.stack);
  const globalName = (kind: keyof GlobalNames) => unique.result.apply((suffix) => globalNames(cfg.owner, cfg.stack, suffix)[kind]);
  const global = {
    storageAccount: globalName('storageAccount'),
    keyVault: globalName('keyVault'),
    webApp: globalName('webApp'),
    computeInstance: globalName('computeInstance'),
  };
  const tags = stackTags(cfg);
  const client = authorization.getClientConfigOutput();
  const manifest = readManifest(cfg.modelDir);

  const location = deps.preflight ? deps.preflight.apply(() => cfg.location) : cfg.location;
  const group = new resources.ResourceGroup('group', { resourceGroupName: names.resourceGroup, location, tags });
  const rg = group.name;

  const ml = new MlWorkspace('ml', {
    resourceGroupName: rg,
    location: cfg.location,
    tenantId: client.tenantId,
    names: { ...names, ...global },
    tags,
  });

  // A personal instance belongs to the student's objectId, always: created without one, the instance would
  // belong to whoever runs `pulumi up`, and a replacement from CI would hand it to the deploy identity.
  const student = cfg.studentObjectId ? { objectId: cfg.studentObjectId, tenantId: client.tenantId } : undefined;

  const compute = cfg.computeInstance && student
    ? new ComputeInstance('compute', {
        resourceGroupName: rg,
        workspaceName: ml.workspaceName,
        location: cfg.location,
        computeName: global.computeInstance,
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
    tags,
  });

  const [poolAccount, poolContainer] = cfg.classPool?.split('/') ?? [];
  const pool = cfg.classPool
    ? identityDatastore(
        'class-pool-datastore',
        {
          resourceGroupName: rg,
          workspaceName: ml.workspaceName,
          name: 'pool',
          storageAccountName: poolAccount,
          containerName: poolContainer,
          holds: `The class pool of recordings (${cfg.classPool}, one folder per student)`,
          tags,
        },
        {},
      )
    : undefined;

  const registry = new ModelRegistry('model', {
    resourceGroupName: rg,
    workspaceName: ml.workspaceName,
    storageAccountName: ml.storageAccountName,
    modelName: manifest.name,
    labels: manifest.labels,
    tags,
  });

  if (student) {
    new StudentAccess('student', {
      objectId: student.objectId,
      subscriptionId: client.subscriptionId,
      resourceGroupId: group.id,
      workspaceId: ml.workspaceId,
      gestureContainerScope: data.containerScope,
    });
  }

  const apiKey = cfg.apiKey
    ? pulumi.secret(cfg.apiKey)
    : new random.RandomPassword('api-key', { length: 48, special: false }).result;

  const app = new InferenceApp('inference', {
    resourceGroupName: rg,
    location: cfg.location,
    subscriptionId: client.subscriptionId,
    names: { appServicePlan: names.appServicePlan, webApp: global.webApp, appIdentity: names.appIdentity },
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
    dataAccess: [
      { key: 'models', role: 'storageBlobDataContributor', scope: containerScope(ml.storageAccountId, registry.containerName) },
      // Reading the whole account covers the gestures and the `azureml` container Azure ML creates itself, where a
      // job's logs are streamed from (`npm run train:azureml`); it is this stack's own account only.
      { key: 'account-reads', role: 'storageBlobDataReader', scope: ml.storageAccountId },
    ],
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
    location: pulumi.output(cfg.location),
    appUrl: app.appUrl,
    predictUrl: app.predictUrl,
    webAppName: app.webAppName,
    workspaceName: ml.workspaceName,
    storageAccountName: ml.storageAccountName,
    keyVaultName: ml.keyVaultName,
    logAnalyticsName: ml.logAnalyticsName,
    modelsContainer: registry.containerName,
    modelsDatastore: registry.datastoreName,
    blobEndpoint: ml.blobEndpoint,
    gestureContainer: data.containerName,
    datastoreName: data.datastoreName,
    dataAssetName: data.dataAssetName,
    dataAssetVersion: data.dataAssetVersion,
    poolDatastore: pool ? pool.name : pulumi.output(undefined),
    poolContainer: pulumi.output(cfg.classPool),
    modelName: registry.modelName,
    modelVersion: pulumi.output(cfg.modelVersion ?? ''),
    computeInstanceName: compute ? compute.computeName : pulumi.output(undefined),
    githubClientId: github.clientId,
    githubPrincipalId: github.principalId,
    githubTenantId: github.tenantId,
    githubSubscriptionId: github.subscriptionId,
    githubSubjects: github.subjects,
    apiKey: pulumi.secret(apiKey),
  };
}
