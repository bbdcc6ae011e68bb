import { z } from 'zod';

/**
 * The model a stack serves now, as its registry entry in Azure ML records it. The stack outputs name the
 * version (`modelName`, `modelVersion`); the infra program writes the manifest's held-out metrics into
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

const OutputsSchema = z.object({
  githubSubscriptionId: z.string().min(1),
  resourceGroupName: z.string().min(1),
  workspaceName: z.string().min(1),
  modelName: z.string().min(1),
  modelVersion: z.string().min(1),
});

const ModelVersionSchema = z.object({
  properties: z.object({
    tags: z.object({
      labels: z.string(),
      'metrics.evaluation': z.string(),
      'metrics.cloud.accuracy': z.coerce.number().min(0).max(1),
    }),
  }),
});

export const ML_API_VERSION = '2024-10-01';

/** The ARM URL of the deployed model version, or undefined for a stack that has never been deployed. */
export function modelVersionUrl(outputs: Record<string, unknown>, armBase = 'https://management.azure.com'): string | undefined {
  if (Object.keys(outputs).length === 0) return undefined;
  const parsed = OutputsSchema.safeParse(outputs);
  if (!parsed.success) {
    const missing = parsed.error.issues.map((i) => i.path.join('.')).join(', ');
    throw new Error(`the stack has outputs but not the ones naming its model (${missing}): cannot find the deployed model`);
  }
  const o = parsed.data;
  const e = encodeURIComponent;
  return (
    `${armBase}/subscriptions/${e(o.githubSubscriptionId)}/resourceGroups/${e(o.resourceGroupName)}` +
    `/providers/Microsoft.MachineLearningServices/workspaces/${e(o.workspaceName)}` +
    `/models/${e(o.modelName)}/versions/${e(o.modelVersion)}?api-version=${ML_API_VERSION}`
  );
}

export function parseModelVersion(name: string, version: string, json: unknown): DeployedModel {
  const parsed = ModelVersionSchema.safeParse(json);
  if (!parsed.success) {
    throw new Error(`model ${name} ${version} has no held-out metrics in its registry tags (${parsed.error.issues[0].path.join('.')})`);
  }
  const tags = parsed.data.properties.tags;
  return { name, version, labels: tags.labels.split(','), evaluation: tags['metrics.evaluation'], cloudAccuracy: tags['metrics.cloud.accuracy'] };
}

/** Reads the deployed model's registry entry with an ARM bearer token; null when nothing is deployed. */
export async function fetchDeployedModel(outputs: Record<string, unknown>, token: () => Promise<string>, armBase?: string): Promise<DeployedModel | null> {
  const url = modelVersionUrl(outputs, armBase);
  if (url === undefined) return null;
  const res = await fetch(url, { headers: { authorization: `Bearer ${await token()}` }, signal: AbortSignal.timeout(30_000) });
  const text = await res.text();
  if (!res.ok) throw new Error(`reading the deployed model version failed: HTTP ${res.status} ${text.slice(0, 200)}`);
  return parseModelVersion(String(outputs.modelName), String(outputs.modelVersion), JSON.parse(text));
}
