import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

/**
 * `registry.json` beside `model.json`: which registered model version a folder is (Azure ML registry name,
 * integer version, content hash). Written when a version is downloaded from the registry, packaged with the
 * model, and reported by the service. It describes the folder, so it is not part of the folder's content hash.
 */
export const REGISTRY_FILE = 'registry.json';

export const RegistryRecordSchema = z.object({
  name: z.string().min(1),
  /** Azure ML model versions are positive integers (issue 10, blocker 1). */
  version: z.string().regex(/^[1-9][0-9]*$/, 'must be a positive integer'),
  contentSha256: z.string().regex(/^[0-9a-f]{64}$/),
});

export type RegistryRecord = z.infer<typeof RegistryRecordSchema>;

/** The folder's registry record, or undefined for a folder that did not come from the registry. */
export function readRegistryRecord(dir: string): RegistryRecord | undefined {
  const path = join(dir, REGISTRY_FILE);
  if (!existsSync(path)) return undefined;
  const parsed = RegistryRecordSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) throw new Error(`${path}: ${parsed.error.issues[0].path.join('.')}: ${parsed.error.issues[0].message}`);
  return parsed.data;
}

export function writeRegistryRecord(dir: string, record: RegistryRecord): void {
  writeFileSync(join(dir, REGISTRY_FILE), `${JSON.stringify(RegistryRecordSchema.parse(record), null, 2)}\n`);
}
