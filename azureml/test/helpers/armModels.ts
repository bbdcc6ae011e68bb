import type { RecordedExchange } from '../../../infra/test/helpers/armReplay';

/**
 * Recorded Azure ML answers for the model registry, shaped after the REST API specification's examples
 * (azure-rest-api-specs, machinelearningservices stable/2024-10-01, examples/Workspace/ModelVersion/list.json,
 * get.json, createOrUpdate.json): `{value: [ModelVersion], nextLink}` with `name` the version and
 * `properties.{modelType, modelUri, tags, properties}`.
 */
export const TARGET = {
  subscriptionId: '00000000-1111-2222-3333-444444444444',
  resourceGroupName: 'rg-wand-alice',
  workspaceName: 'mlw-wand-alice',
  datastore: 'models',
};

export const API = '2024-10-01';

export const modelsPath = (name: string): string =>
  `/subscriptions/${TARGET.subscriptionId}/resourceGroups/${TARGET.resourceGroupName}/providers/Microsoft.MachineLearningServices/workspaces/${TARGET.workspaceName}/models/${name}/versions`;

export interface VersionRecord {
  version: string;
  tags?: Record<string, string>;
  modelUri?: string;
}

export function modelVersionResource(name: string, v: VersionRecord): Record<string, unknown> {
  return {
    id: `${modelsPath(name)}/${v.version}`,
    name: v.version,
    type: 'Microsoft.MachineLearningServices/workspaces/models/versions',
    properties: {
      description: `version ${v.version}`,
      tags: v.tags ?? {},
      properties: { manifest: 'model.json' },
      isAnonymous: false,
      modelType: 'custom_model',
      modelUri:
        v.modelUri ??
        `azureml://subscriptions/${TARGET.subscriptionId}/resourcegroups/${TARGET.resourceGroupName}/workspaces/${TARGET.workspaceName}/datastores/models/paths/${name}/${v.version}/`,
    },
    systemData: { createdAt: '2026-11-30T12:34:56.999Z', createdBy: 'alice@example.edu', createdByType: 'User' },
  };
}

/** The list answer (one page) and a GET per version. */
export function registryHolding(name: string, versions: VersionRecord[]): RecordedExchange[] {
  return [
    { method: 'GET', path: modelsPath(name), apiVersion: API, status: 200, body: { value: versions.map((v) => modelVersionResource(name, v)) } },
    ...versions.map((v) => ({ method: 'GET', path: `${modelsPath(name)}/${v.version}`, apiVersion: API, status: 200, body: modelVersionResource(name, v) })),
  ];
}

/** The PUT of version `version`, answered 201 with what was sent (the service echoes the body). */
export function createVersion(name: string, version: string, echo: VersionRecord): RecordedExchange {
  return { method: 'PUT', path: `${modelsPath(name)}/${version}`, apiVersion: API, status: 201, body: modelVersionResource(name, echo) };
}
