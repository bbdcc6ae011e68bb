import * as pulumi from '@pulumi/pulumi';
import * as ml from '@pulumi/azure-native/machinelearningservices';
import * as storage from '@pulumi/azure-native/storage';
import { identityDatastore } from './identityDatastore';

export interface ModelRegistryArgs {
  resourceGroupName: pulumi.Input<string>;
  workspaceName: pulumi.Input<string>;
  storageAccountName: pulumi.Input<string>;
  /** The registered model's name (the manifest's `name`). */
  modelName: string;
  labels: string[];
  tags: Record<string, string>;
}

export const MODEL_CONTAINER = 'models';
export const MODEL_DATASTORE = 'models';

/**
 * Where registered models live: a private `models` container, an identity-based datastore over it, and the
 * model's registry entry. Versions are not declared here. Azure ML takes only positive integers as model
 * versions (Azure/azureml-examples#2725), the next free number depends on what the registry already holds,
 * and a job registers its own output: so `npm run register` (azureml/) picks the number, uploads the files to
 * `models/<name>/<version>/` and creates the version, returning the existing one for a folder registered before.
 * The container is kept on delete so a replaced stack does not take the registry's history with it.
 */
export class ModelRegistry extends pulumi.ComponentResource {
  readonly modelName: pulumi.Output<string>;
  readonly containerName: pulumi.Output<string>;
  readonly datastoreName: pulumi.Output<string>;

  constructor(name: string, args: ModelRegistryArgs, opts?: pulumi.ComponentResourceOptions) {
    super('wandcloud:infra:ModelRegistry', name, {}, opts);
    const child = { parent: this };

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

    const datastore = identityDatastore(
      `${name}-datastore`,
      {
        resourceGroupName: args.resourceGroupName,
        workspaceName: args.workspaceName,
        name: MODEL_DATASTORE,
        storageAccountName: args.storageAccountName,
        containerName: container.name,
        holds: 'Registered models',
        tags: args.tags,
      },
      child,
    );

    const registered = new ml.ModelContainer(
      `${name}-model`,
      {
        resourceGroupName: args.resourceGroupName,
        workspaceName: args.workspaceName,
        name: args.modelName,
        properties: { description: `Wand gesture classifier (${args.labels.join(', ')})`, tags: args.tags },
      },
      { parent: this, retainOnDelete: true },
    );

    this.modelName = registered.name;
    this.containerName = container.name;
    this.datastoreName = datastore.name;
    this.registerOutputs({ modelName: this.modelName, containerName: this.containerName, datastoreName: this.datastoreName });
  }
}
