import { z } from 'zod';
import type { ModelRegistry } from '../../../azureml/src/registry/modelRegistry';
import { isIntegerVersion } from '../../../azureml/src/registry/versionNumbers';
import type { StackOutputs } from '../../../azureml/src/stack/outputs';

/**
 * The model a stack serves now, as its registry entry in Azure ML records it. The stack outputs name the
 * version (`modelName`, `modelVersion`); `npm run register` writes the manifest's held-out metrics into
 * that version's tags (`metrics.cloud.accuracy`, `metrics.evaluation`, `labels`), so the gate can compare
 * without downloading the old model.
 */
export interface DeployedModel {
  name: string;
  version: string;
  labels: string[];
  evaluation: string;
  cloudAccuracy: number;
}

const ModelVersionSchema = z.object({
  properties: z.object({
    tags: z.object({
      labels: z.string(),
      'metrics.evaluation': z.string(),
      'metrics.cloud.accuracy': z.coerce.number().min(0).max(1),
    }),
  }),
});

export function parseModelVersion(name: string, version: string, json: unknown): DeployedModel {
  const parsed = ModelVersionSchema.safeParse(json);
  if (!parsed.success) {
    throw new Error(`model ${name} ${version} has no held-out metrics in its registry tags (${parsed.error.issues[0].path.join('.')})`);
  }
  const tags = parsed.data.properties.tags;
  return { name, version, labels: tags.labels.split(','), evaluation: tags['metrics.evaluation'], cloudAccuracy: tags['metrics.cloud.accuracy'] };
}

/**
 * The stack's deployed version (`modelVersion`, from `wandcloud:modelVersion`) as the registry records it;
 * null when the stack serves no registered version yet (no output, or a legacy non-integer version from
 * before registration moved out of the Pulumi program: nothing comparable is deployed).
 */
export async function fetchDeployedModel(registry: Pick<ModelRegistry, 'get'>, outputs: Pick<StackOutputs, 'modelName' | 'modelVersion'>): Promise<DeployedModel | null> {
  const version = outputs.modelVersion;
  if (version === undefined || !isIntegerVersion(version)) return null;
  const registered = await registry.get(outputs.modelName, Number(version));
  return parseModelVersion(outputs.modelName, version, { properties: { tags: registered.tags } });
}
