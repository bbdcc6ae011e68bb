import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as pulumi from '@pulumi/pulumi';
import * as authorization from '@pulumi/azure-native/authorization';
import * as keyvault from '@pulumi/azure-native/keyvault';
import * as managedidentity from '@pulumi/azure-native/managedidentity';
import * as storage from '@pulumi/azure-native/storage';
import * as web from '@pulumi/azure-native/web';
import { containerScope, roleDefinitionId } from '../roles';
import { PACKAGE_RUNTIME, PACKAGE_START_COMMAND } from '../../delivery/src/package/startCommand';

export interface InferenceAppArgs {
  resourceGroupName: pulumi.Input<string>;
  location: string;
  subscriptionId: pulumi.Input<string>;
  names: { appServicePlan: string; webApp: pulumi.Input<string>; appIdentity: string };
  /** An existing Linux plan to join (a subscription has one free Linux plan per region); a new F1 plan when absent. */
  existingPlanId?: string;
  storageAccountName: pulumi.Input<string>;
  storageAccountId: pulumi.Input<string>;
  blobEndpoint: pulumi.Input<string>;
  /** Local path of the service zip, built by `npm run package`. */
  servicePackagePath: string;
  apiKey: pulumi.Input<string>;
  keyVaultName: pulumi.Input<string>;
  appInsightsConnectionString: pulumi.Input<string>;
  tags: Record<string, string>;
}

export const PACKAGE_CONTAINER = 'packages';
export const API_KEY_SECRET = 'wand-api-key';
export const HEALTH_CHECK_PATH = '/v2/health/ready';
export const NODE_RUNTIME = PACKAGE_RUNTIME;
/** The package says how it starts; saying it here keeps App Service's start-up from guessing. */
export const START_COMMAND = PACKAGE_START_COMMAND;

/** Settings App Service itself reads, not the service. */
export const PLATFORM_SETTINGS = {
  // The package is prebuilt (node_modules included): no Oryx `npm install` on the F1 plan.
  SCM_DO_BUILD_DURING_DEPLOYMENT: 'false',
} as const;

/** The blob name carries the package's hash, so a new build is a new URL and the app restarts onto it. */
export function packageBlobName(zipPath: string): string {
  const digest = createHash('sha256').update(readFileSync(zipPath)).digest('hex');
  return `service-${digest.slice(0, 16)}.zip`;
}

/**
 * The inference web app on Linux App Service. `pulumi up` alone deploys it: the service zip goes to a
 * private blob, and the app runs it in place (`WEBSITE_RUN_FROM_PACKAGE`), reading it with its own managed
 * user-assigned identity. The service serves the model bundled in the package. No build runs on the F1 plan and no
 * publishing credentials exist.
 */
export class InferenceApp extends pulumi.ComponentResource {
  readonly planId: pulumi.Output<string>;
  readonly webAppName: pulumi.Output<string>;
  readonly principalId: pulumi.Output<string>;
  readonly appUrl: pulumi.Output<string>;
  readonly predictUrl: pulumi.Output<string>;
  readonly packageUrl: pulumi.Output<string>;
  readonly apiKeySecretUri: pulumi.Output<string>;

  constructor(name: string, args: InferenceAppArgs, opts?: pulumi.ComponentResourceOptions) {
    super('wandcloud:infra:InferenceApp', name, {}, opts);
    const child = { parent: this };
    const rg = args.resourceGroupName;

    this.planId = args.existingPlanId
      ? pulumi.output(args.existingPlanId)
      : new web.AppServicePlan(
          `${name}-plan`,
          {
            resourceGroupName: rg,
            location: args.location,
            name: args.names.appServicePlan,
            kind: 'linux',
            reserved: true,
            sku: { name: 'F1', tier: 'Free', size: 'F1', family: 'F', capacity: 1 },
            tags: args.tags,
          },
          child,
        ).id;

    const packages = new storage.BlobContainer(
      `${name}-packages`,
      { resourceGroupName: rg, accountName: args.storageAccountName, containerName: PACKAGE_CONTAINER, publicAccess: storage.PublicAccess.None },
      child,
    );
    const zip = new storage.Blob(
      `${name}-package`,
      {
        resourceGroupName: rg,
        accountName: args.storageAccountName,
        containerName: packages.name,
        blobName: packageBlobName(args.servicePackagePath),
        type: storage.BlobType.Block,
        contentType: 'application/zip',
        source: new pulumi.asset.FileAsset(args.servicePackagePath),
      },
      child,
    );

    // The identity that reads the package exists, and holds its role, before the app does: with the app's
    // system-assigned identity the role could only be granted after the app was created, and the first start
    // raced the assignment (data-plane roles take minutes to apply). The settings that point the app at the
    // package are written last, after the assignment.
    const identity = new managedidentity.UserAssignedIdentity(
      `${name}-identity`,
      { resourceGroupName: rg, location: args.location, resourceName: args.names.appIdentity, tags: args.tags },
      child,
    );
    const readsPackages = new authorization.RoleAssignment(
      `${name}-reads-packages`,
      {
        principalId: identity.principalId,
        principalType: authorization.PrincipalType.ServicePrincipal,
        roleDefinitionId: roleDefinitionId(args.subscriptionId, 'storageBlobDataReader'),
        scope: containerScope(args.storageAccountId, packages.name),
      },
      child,
    );

    const app = new web.WebApp(
      `${name}-app`,
      {
        resourceGroupName: rg,
        location: args.location,
        name: args.names.webApp,
        kind: 'app,linux',
        serverFarmId: this.planId,
        reserved: true,
        httpsOnly: true,
        clientAffinityEnabled: false,
        identity: {
          type: web.ManagedServiceIdentityType.UserAssigned,
          userAssignedIdentities: [identity.id],
        },
        keyVaultReferenceIdentity: identity.id,
        siteConfig: {
          linuxFxVersion: NODE_RUNTIME,
          appCommandLine: START_COMMAND,
          minTlsVersion: web.SupportedTlsVersions.SupportedTlsVersions_1_2,
          scmMinTlsVersion: web.SupportedTlsVersions.SupportedTlsVersions_1_2,
          ftpsState: web.FtpsState.Disabled,
          http20Enabled: true,
          // F1 has no Always On; the app unloads after ~20 idle minutes.
          alwaysOn: false,
          healthCheckPath: HEALTH_CHECK_PATH,
          remoteDebuggingEnabled: false,
        },
        tags: args.tags,
      },
      // App settings belong to the WebAppApplicationSettings resource below.
      { parent: this, ignoreChanges: ['siteConfig.appSettings'], dependsOn: [readsPackages] },
    );

    new web.WebAppFtpAllowed(`${name}-no-ftp-basic-auth`, { resourceGroupName: rg, name: app.name, allow: false }, child);
    new web.WebAppScmAllowed(`${name}-no-scm-basic-auth`, { resourceGroupName: rg, name: app.name, allow: false }, child);

    this.principalId = identity.principalId;
    const secret = new keyvault.Secret(
      `${name}-api-key`,
      {
        resourceGroupName: rg,
        vaultName: args.keyVaultName,
        secretName: API_KEY_SECRET,
        properties: { value: pulumi.secret(args.apiKey), contentType: 'text/plain' },
        tags: args.tags,
      },
      child,
    );

    this.packageUrl = pulumi.interpolate`${args.blobEndpoint}${packages.name}/${zip.name}`;
    new web.WebAppApplicationSettings(
      `${name}-settings`,
      {
        resourceGroupName: rg,
        name: app.name,
        // Only what App Service or the service (service/src/config.ts) reads.
        properties: {
          ...PLATFORM_SETTINGS,
          WEBSITE_RUN_FROM_PACKAGE: this.packageUrl,
          // The package URL is read with the user-assigned identity that already holds Storage Blob Data Reader.
          WEBSITE_RUN_FROM_PACKAGE_BLOB_MI_RESOURCE_ID: identity.id,
          // Client addresses (for the rate limit) come from the X-Forwarded-For that App Service's front end appends.
          TRUST_PROXY: 'true',
          // The model bundled in the package (relative to /home/site/wwwroot).
          MODEL_DIR: 'models/default',
          WAND_API_KEY: pulumi.secret(args.apiKey),
          // Read by the service (config.ts), which says at start that telemetry is not wired yet.
          APPLICATIONINSIGHTS_CONNECTION_STRING: pulumi.secret(args.appInsightsConnectionString),
        },
      },
      { parent: this, dependsOn: [readsPackages] },
    );

    this.webAppName = app.name;
    this.appUrl = pulumi.interpolate`https://${app.defaultHostName}`;
    this.predictUrl = pulumi.interpolate`${this.appUrl}/predict`;
    this.apiKeySecretUri = secret.properties.apply((p) => p.secretUri);
    this.registerOutputs({ webAppName: this.webAppName, appUrl: this.appUrl, predictUrl: this.predictUrl });
  }
}
