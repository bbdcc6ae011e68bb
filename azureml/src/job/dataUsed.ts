import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { z } from 'zod';

/**
 * `data-used.json` in an exported model folder: every file of every input the training read, as its blob
 * path (the input's `azureml://datastores/...` URI plus the file's path) and sha256. Written by the job's
 * command next to the model, so it is part of the registered files and of their content hash; the registry
 * tags carry its hash and size (`data.usedSha256`, `data.usedFiles`).
 */
export const DATA_USED_FILE = 'data-used.json';

export const DataUsedSchema = z.object({
  inputs: z.array(z.object({ name: z.string(), uri: z.string() })),
  files: z.array(z.object({ path: z.string(), sha256: z.string().regex(/^[0-9a-f]{64}$/) })),
  /** sha256 over the sorted `path sha256` lines: equal for the same data read in any order. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});

export type DataUsed = z.infer<typeof DataUsedSchema>;

export interface DataInput {
  name: string;
  /** Where the input is on this machine (the job's mount, or the local download). */
  dir: string;
  /** Where it is in Azure, ending in `/`. */
  uri: string;
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => !e.name.startsWith('.'))
    .flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : e.isFile() ? [join(dir, e.name)] : []));
}

export function describeDataUsed(inputs: DataInput[]): DataUsed {
  const files = inputs
    .flatMap((input) =>
      walk(input.dir).map((file) => ({
        path: `${input.uri}${relative(input.dir, file).split(sep).join('/')}`,
        sha256: createHash('sha256').update(readFileSync(file)).digest('hex'),
      })),
    )
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const sha256 = createHash('sha256').update(files.map((f) => `${f.path} ${f.sha256}`).join('\n')).digest('hex');
  return { inputs: inputs.map(({ name, uri }) => ({ name, uri })), files, sha256 };
}

export function writeDataUsed(modelDir: string, used: DataUsed): void {
  writeFileSync(join(modelDir, DATA_USED_FILE), `${JSON.stringify(used, null, 2)}\n`);
}

/** The registry tags for a model folder's `data-used.json`; none for a folder trained without it. */
export function dataUsedTags(modelDir: string): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(join(modelDir, DATA_USED_FILE), 'utf8');
  } catch {
    return {};
  }
  const used = DataUsedSchema.parse(JSON.parse(text));
  return { 'data.usedSha256': used.sha256, 'data.usedFiles': String(used.files.length), 'data.inputs': used.inputs.map((i) => i.uri).join(' ') };
}
