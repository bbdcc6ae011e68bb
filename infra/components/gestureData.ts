import * as pulumi from '@pulumi/pulumi';
import * as authorization from '@pulumi/azure-native/authorization';
import * as ml from '@pulumi/azure-native/machinelearningservices';
import * as storage from '@pulumi/azure-native/storage';
import { containerScope, roleDefinitionId } from '../roles';
import { identityDatastore } from './identityDatastore';

export interface GestureDataArgs {
  resourceGroupName: pulumi.Input<string>;
  workspaceName: pulumi.Input<string>;
  workspacePrincipalId: pulumi.Input<string>;
  storageAccountName: pulumi.Input<string>;
  storageAccountId: pulumi.Input<string>;
  subscriptionId: pulumi.Input<string>;
  tags: Record<string, string>;
}

export const GESTURE_CONTAINER = 'gestures';
export const GESTURE_DATASTORE = 'gestures';
export const GESTURE_DATA_ASSET = 'gesture-recordings';
export const GESTURE_DATA_VERSION = '1';
/** The blob layout `npm run data:upload` writes (datasync/src/blobNames.ts): one folder per uploader, then per class. */
export const GESTURE_BLOB_LAYOUT = '<owner>/<class>/<file>.csv';
const GESTURE_DATA_DESCRIPTION = `Recorded wand gestures, one folder per uploader (owner) with one folder per class inside: ${GESTURE_BLOB_LAYOUT}`;

/**
 * Where recorded gestures live: a private blob container, an Azure ML datastore over it that holds no
 * keys (jobs and the studio reach it with the caller's or the workspace's identity), and a `uri_folder`
 * data asset that training jobs take as input.
 */
export class GestureData extends pulumi.ComponentResource {
  readonly containerName: pulumi.Output<string>;
  /** The container's ARM scope, for role assignments on it alone. */
  readonly containerScope: pulumi.Output<string>;
  readonly datastoreName: pulumi.Output<string>;
  readonly dataAssetName: pulumi.Output<string>;
  readonly dataAssetVersion: pulumi.Output<string>;
  readonly dataUri: pulumi.Output<string>;

  constructor(name: string, args: GestureDataArgs, opts?: pulumi.ComponentResourceOptions) {
    super('wandcloud:infra:GestureData', name, {}, opts);
    const child = { parent: this };

    const container = new storage.BlobContainer(
      `${name}-container`,
      {
        resourceGroupName: args.resourceGroupName,
        accountName: args.storageAccountName,
        containerName: GESTURE_CONTAINER,
        publicAccess: storage.PublicAccess.None,
        metadata: { owner: args.tags.owner },
      },
      child,
    );

    // The studio previews and jobs without a user identity read through the workspace's own identity.
    new authorization.RoleAssignment(
      `${name}-workspace-reads`,
      {
        principalId: args.workspacePrincipalId,
        principalType: authorization.PrincipalType.ServicePrincipal,
        roleDefinitionId: roleDefinitionId(args.subscriptionId, 'storageBlobDataReader'),
        scope: containerScope(args.storageAccountId, container.name),
      },
      child,
    );
    const datastore = identityDatastore(
      `${name}-datastore`,
      {
        resourceGroupName: args.resourceGroupName,
        workspaceName: args.workspaceName,
        name: GESTURE_DATASTORE,
        storageAccountName: args.storageAccountName,
        containerName: container.name,
        holds: 'Gesture recordings',
        tags: args.tags,
      },
      child,
    );

    const dataAsset = new ml.DataContainer(
      `${name}-asset`,
      {
        resourceGroupName: args.resourceGroupName,
        workspaceName: args.workspaceName,
        name: GESTURE_DATA_ASSET,
        properties: { dataType: ml.DataType.Uri_folder, description: GESTURE_DATA_DESCRIPTION, tags: args.tags },
      },
      child,
    );

    this.dataUri = pulumi.interpolate`azureml://datastores/${datastore.name}/paths/`;
    const version = new ml.DataVersion(
      `${name}-asset-version`,
      {
        resourceGroupName: args.resourceGroupName,
        workspaceName: args.workspaceName,
        name: dataAsset.name,
        version: GESTURE_DATA_VERSION,
        properties: {
          dataType: 'uri_folder',
          dataUri: this.dataUri,
          description: `The whole gestures container: ${GESTURE_BLOB_LAYOUT}`,
          tags: args.tags,
        },
      },
      child,
    );

    this.containerName = container.name;
    this.containerScope = containerScope(args.storageAccountId, container.name);
    this.datastoreName = datastore.name;
    this.dataAssetName = dataAsset.name;
    this.dataAssetVersion = version.id.apply(() => GESTURE_DATA_VERSION);
    this.registerOutputs({ containerName: this.containerName, datastoreName: this.datastoreName, dataAssetName: this.dataAssetName });
  }
}
