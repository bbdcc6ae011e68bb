import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { readManifest, type ModelManifest } from '../../../gesture/src/manifest';
import { REGISTRY_FILE } from '../../../gesture/src/registryRecord';

/** One file of an exported model folder, with the path it gets under the model's blob prefix. */
export interface ModelFile {
  absolutePath: string;
  /** Forward-slash path relative to the folder, e.g. `cloud.onnx` or `images/confusion.png`. */
  relativePath: string;
  contentType: string;
}

export interface ModelFolder {
  dir: string;
  manifest: ModelManifest;
  files: ModelFile[];
  /** SHA-256 over every file's path and bytes: tells two exports with the same version apart. */
  contentHash: string;
}

const CONTENT_TYPES: Record<string, string> = {
  '.json': 'application/json',
  '.onnx': 'application/octet-stream',
  '.h': 'text/x-c',
  '.md': 'text/markdown',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.jpg': 'image/jpeg',
  '.csv': 'text/csv',
};

/** Hidden files and the folder's registry record (it names the folder's hash, so it cannot be inside it). */
const isContent = (name: string, inRoot: boolean): boolean => !name.startsWith('.') && !(inRoot && name === REGISTRY_FILE);

function listFiles(dir: string, root = dir): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => isContent(entry.name, dir === root))
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return listFiles(path, root);
      return entry.isFile() ? [path] : [];
    })
    .sort();
}

/** Reads an exported model folder: its validated manifest and every file to upload, in a stable order. */
export function readModelFolder(dir: string): ModelFolder {
  const manifest = readManifest(dir);
  const hash = createHash('sha256');
  const files = listFiles(dir).map((absolutePath) => {
    const relativePath = relative(dir, absolutePath).split(sep).join('/');
    hash.update(relativePath).update('\0').update(readFileSync(absolutePath)).update('\0');
    return { absolutePath, relativePath, contentType: CONTENT_TYPES[extname(absolutePath).toLowerCase()] ?? 'application/octet-stream' };
  });
  return { dir, manifest, files, contentHash: hash.digest('hex') };
}

/**
 * Registry tags for a model version: its held-out metrics and the fingerprint of the data it was
 * trained on, so a version in the registry can be traced to its data and compared with others.
 * Azure tag values are strings; numbers are written as they are.
 */
export function modelTags(manifest: ModelManifest, contentHash: string): Record<string, string> {
  const tags: Record<string, string> = {
    labels: manifest.labels.join(','),
    'data.fingerprint': manifest.data.fingerprint,
    'data.recordings': String(manifest.data.recordings),
    'data.people': String(manifest.data.people),
    'metrics.evaluation': manifest.metrics.evaluation,
    'manifest.version': manifest.version,
    contentSha256: contentHash,
  };
  const training = manifest.training ?? {};
  if (typeof training.recipe === 'string') tags.recipe = training.recipe;
  if (typeof training.seed === 'number') tags.seed = String(training.seed);
  for (const [group, value] of Object.entries(manifest.metrics)) {
    if (value === null || typeof value !== 'object') continue;
    for (const [metric, number] of Object.entries(value as Record<string, unknown>)) {
      if (typeof number === 'number' && Number.isFinite(number)) tags[`metrics.${group}.${metric}`] = String(number);
    }
  }
  return tags;
}
