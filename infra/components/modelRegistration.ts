import * as pulumi from '@pulumi/pulumi';
import * as ml from '@pulumi/azure-native/machinelearningservices';
import * as storage from '@pulumi/azure-native/storage';
import { modelTags, type ModelFolder } from '../../azureml/src/registry/modelFolder';
import { identityDatastore } from './identityDatastore';

export interface ModelRegistrationArgs {
  resourceGroupName: pulumi.Input<string>;
  workspaceName: pulumi.Input<string>;
  subscriptionId: pulumi.Input<string>;
  storageAccountName: pulumi.Input<string>;
  blobEndpoint: pulumi.Input<string>;
  model: ModelFolder;
  tags: Record<string, string>;
}

export const MODEL_CONTAINER = 'models';
export const MODEL_DATASTORE = 'models';

/**
 * Uploads an exported model folder (ONNX files, manifest, edge header, report) to
 * `models/<name>/<version>/` and registers it as a model version. Blobs, the model container and the
 * version are kept when replaced (`retainOnDelete`), so deploying version 3 leaves versions 1 and 2 in
 * the registry with their files; `pulumi destroy` still removes them with the resource group.
 */
export class ModelRegistration extends pulumi.ComponentResource {
  readonly modelName: pulumi.Output<string>;
  readonly modelVersion: pulumi.Output<string>;
  /** `https://<account>.blob.core.windows.net/models/<name>/<version>/`: where the registered files are. */
  readonly modelBlobUrl: pulumi.Output<string>;

  constructor(name: string, args: ModelRegistrationArgs, opts?: pulumi.ComponentResourceOptions) {
    super('wandcloud:infra:ModelRegistration', name, {}, opts);
    const { manifest } = args.model;
    const prefix = `${manifest.name}/${manifest.version}`;
    const child = { parent: this };
    const kept = { parent: this, retainOnDelete: true };

    const container = new storage.BlobContainer(
      `${name}-container`,
      {
        resourceGroupName: args.resourceGroupName,
        accountName: args.storageAccountName,
        containerName: MODEL_CONTAINER,
        publicAccess: storage.PublicAccess.None,
        metadata: { owner: args.tags.owner },
      },
      child,
    );

    const blobs = args.model.files.map(
      (file) =>
        new storage.Blob(
          `${name}-file-${file.relativePath}`,
          {
            resourceGroupName: args.resourceGroupName,
            accountName: args.storageAccountName,
            containerName: container.name,
            blobName: `${prefix}/${file.relativePath}`,
            type: storage.BlobType.Block,
            contentType: file.contentType,
            source: new pulumi.asset.FileAsset(file.absolutePath),
          },
          kept,
        ),
    );

    const datastore = identityDatastore(
      `${name}-datastore`,
      {
        resourceGroupName: args.resourceGroupName,
        workspaceName: args.workspaceName,
        name: MODEL_DATASTORE,
        storageAccountName: args.storageAccountName,
        containerName: container.name,
        holds: 'Exported models',
        tags: args.tags,
      },
      child,
    );

    const registered = new ml.ModelContainer(
      `${name}-model`,
      {
        resourceGroupName: args.resourceGroupName,
        workspaceName: args.workspaceName,
        name: manifest.name,
        properties: { description: `Wand gesture classifier (${manifest.labels.join(', ')})`, tags: args.tags },
      },
      kept,
    );

    const version = new ml.ModelVersion(
      `${name}-model-version`,
      {
        resourceGroupName: args.resourceGroupName,
        workspaceName: args.workspaceName,
        name: registered.name,
        version: manifest.version,
        properties: {
          modelType: 'custom_model',
          modelUri: pulumi.interpolate`azureml://subscriptions/${args.subscriptionId}/resourcegroups/${args.resourceGroupName}/workspaces/${args.workspaceName}/datastores/${datastore.name}/paths/${prefix}/`,
          description: `Exported ${manifest.createdAt}; labels ${manifest.labels.join(', ')}`,
          tags: { ...args.tags, ...modelTags(manifest, args.model.contentHash) },
          properties: { manifest: 'model.json', cloudModel: manifest.models.cloud.file },
        },
      },
      // The files must be in place before the registry points at them.
      { ...kept, dependsOn: blobs },
    );

    this.modelName = registered.name;
    this.modelVersion = version.id.apply(() => manifest.version);
    this.modelBlobUrl = pulumi.interpolate`${args.blobEndpoint}${container.name}/${prefix}/`;
    this.registerOutputs({ modelName: this.modelName, modelVersion: this.modelVersion, modelBlobUrl: this.modelBlobUrl });
  }
}
