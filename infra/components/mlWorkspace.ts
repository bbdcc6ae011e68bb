import * as pulumi from '@pulumi/pulumi';
import * as applicationinsights from '@pulumi/azure-native/applicationinsights';
import * as keyvault from '@pulumi/azure-native/keyvault';
import * as ml from '@pulumi/azure-native/machinelearningservices';
import * as operationalinsights from '@pulumi/azure-native/operationalinsights';
import * as storage from '@pulumi/azure-native/storage';

/** What every storage account of the project is: StorageV2/LRS, HTTPS and TLS 1.2 only, no public blobs, Entra first. */
export const HARDENED_STORAGE = {
  kind: storage.Kind.StorageV2,
  sku: { name: storage.SkuName.Standard_LRS },
  accessTier: storage.AccessTier.Hot,
  enableHttpsTrafficOnly: true,
  minimumTlsVersion: storage.MinimumTlsVersion.TLS1_2,
  allowBlobPublicAccess: false,
  defaultToOAuthAuthentication: true,
  allowCrossTenantReplication: false,
} as const;

export interface MlWorkspaceArgs {
  resourceGroupName: pulumi.Input<string>;
  location: string;
  tenantId: pulumi.Input<string>;
  names: { storageAccount: pulumi.Input<string>; keyVault: pulumi.Input<string>; logAnalytics: string; appInsights: string; mlWorkspace: string };
  tags: Record<string, string>;
}

/**
 * An Azure ML workspace and the resources it depends on, each declared here so that teardown removes
 * them: Azure would otherwise create Application Insights' Log Analytics workspace in a separate
 * resource group that survives `pulumi destroy`.
 */
export class MlWorkspace extends pulumi.ComponentResource {
  readonly storageAccountName: pulumi.Output<string>;
  readonly storageAccountId: pulumi.Output<string>;
  readonly blobEndpoint: pulumi.Output<string>;
  readonly keyVaultName: pulumi.Output<string>;
  readonly keyVaultId: pulumi.Output<string>;
  readonly logAnalyticsName: pulumi.Output<string>;
  readonly appInsightsConnectionString: pulumi.Output<string>;
  readonly workspaceName: pulumi.Output<string>;
  readonly workspaceId: pulumi.Output<string>;
  readonly workspacePrincipalId: pulumi.Output<string>;

  constructor(name: string, args: MlWorkspaceArgs, opts?: pulumi.ComponentResourceOptions) {
    super('wandcloud:infra:MlWorkspace', name, {}, opts);
    const common = { resourceGroupName: args.resourceGroupName, location: args.location, tags: args.tags };
    const child = { parent: this };

    const account = new storage.StorageAccount(
      `${name}-storage`,
      {
        ...common,
        accountName: args.names.storageAccount,
        ...HARDENED_STORAGE,
        // Compute instance creation fails when the workspace's storage disallows shared-key access;
        // our own data access (datastore, web app) is identity-based regardless.
        allowSharedKeyAccess: true,
      },
      child,
    );

    const vault = new keyvault.Vault(
      `${name}-vault`,
      {
        ...common,
        vaultName: args.names.keyVault,
        properties: {
          tenantId: args.tenantId,
          sku: { family: keyvault.SkuFamily.A, name: keyvault.SkuName.Standard },
          enableRbacAuthorization: true,
          enableSoftDelete: true,
          // The shortest retention Azure allows; purge protection stays unset (Azure rejects an explicit
          // false, and true could never be undone), so teardown can purge and names can be reused.
          softDeleteRetentionInDays: 7,
        },
      },
      child,
    );

    const logs = new operationalinsights.Workspace(
      `${name}-logs`,
      {
        ...common,
        workspaceName: args.names.logAnalytics,
        sku: { name: operationalinsights.WorkspaceSkuNameEnum.PerGB2018 },
        retentionInDays: 30,
        // A class of students never needs more; the cap keeps a chatty app from spending the credit.
        workspaceCapping: { dailyQuotaGb: 0.5 },
      },
      child,
    );

    const insights = new applicationinsights.Component(
      `${name}-insights`,
      {
        ...common,
        resourceName: args.names.appInsights,
        kind: 'web',
        applicationType: applicationinsights.ApplicationType.Web,
        ingestionMode: applicationinsights.IngestionMode.LogAnalytics,
        workspaceResourceId: logs.id,
      },
      child,
    );

    const workspace = new ml.Workspace(
      `${name}-workspace`,
      {
        ...common,
        workspaceName: args.names.mlWorkspace,
        friendlyName: `Wand lab (${args.tags.owner})`,
        identity: { type: ml.ManagedServiceIdentityType.SystemAssigned },
        sku: { name: 'Basic', tier: 'Basic' },
        storageAccount: account.id,
        keyVault: vault.id,
        applicationInsights: insights.id,
        publicNetworkAccess: ml.PublicNetworkAccessType.Enabled,
      },
      child,
    );

    this.storageAccountName = account.name;
    this.storageAccountId = account.id;
    this.blobEndpoint = account.primaryEndpoints.blob;
    this.keyVaultName = vault.name;
    this.keyVaultId = vault.id;
    this.logAnalyticsName = logs.name;
    this.appInsightsConnectionString = pulumi.secret(insights.connectionString);
    this.workspaceName = workspace.name;
    this.workspaceId = workspace.id;
    this.workspacePrincipalId = workspace.identity.apply((identity) => identity?.principalId ?? '');
    this.registerOutputs({
      storageAccountName: this.storageAccountName,
      keyVaultName: this.keyVaultName,
      workspaceName: this.workspaceName,
      workspaceId: this.workspaceId,
    });
  }
}
