import * as pulumi from '@pulumi/pulumi';
import * as ml from '@pulumi/azure-native/machinelearningservices';

export interface IdentityDatastoreArgs {
  resourceGroupName: pulumi.Input<string>;
  workspaceName: pulumi.Input<string>;
  /** The datastore's name in the workspace. */
  name: string;
  storageAccountName: pulumi.Input<string>;
  containerName: pulumi.Input<string>;
  /** What the container holds; "(identity-based access, no stored keys)" is appended. */
  holds: string;
  tags: Record<string, string>;
}

/**
 * An Azure ML datastore over one blob container that stores no keys: jobs and the studio reach the
 * container with the caller's identity, or the workspace's own where there is no user.
 */
export function identityDatastore(resourceName: string, args: IdentityDatastoreArgs, opts: pulumi.CustomResourceOptions): ml.Datastore {
  return new ml.Datastore(
    resourceName,
    {
      resourceGroupName: args.resourceGroupName,
      workspaceName: args.workspaceName,
      name: args.name,
      properties: {
        datastoreType: 'AzureBlob',
        accountName: args.storageAccountName,
        containerName: args.containerName,
        endpoint: 'core.windows.net',
        protocol: 'https',
        credentials: { credentialsType: 'None' },
        serviceDataAccessAuthIdentity: ml.ServiceDataAccessAuthIdentity.WorkspaceSystemAssignedIdentity,
        description: `${args.holds} (identity-based access, no stored keys)`,
        tags: args.tags,
      },
    },
    opts,
  );
}
