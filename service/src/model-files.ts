import { existsSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { MANIFEST_FILE, type ModelManifest } from '../../gesture/src';

/** A model folder that cannot be served; the message is one line naming the file and the problem. */
export class ModelLoadError extends Error {
  override readonly name = 'ModelLoadError';
}

const isInside = (root: string, path: string): boolean => {
  const rel = relative(root, path);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
};

/**
 * The absolute path of `name` inside the model folder `dir`, refusing any name that could reach
 * outside it: an absolute path, a `..` segment, or (when the file exists) a symbolic link anywhere
 * on the way that resolves outside the folder. A model folder is copied, zipped and registered as a
 * unit; a file outside it would be served here but missing (or different) everywhere else.
 */
export function modelFilePath(dir: string, name: string, field = name): string {
  if (isAbsolute(name) || name.split(/[\\/]/).includes('..') || !isInside(dir, resolve(dir, name))) {
    throw new ModelLoadError(`${join(dir, MANIFEST_FILE)}: ${field} "${name}" is outside the model folder: name a file inside it (no absolute path, no "..")`);
  }
  const path = resolve(dir, name);
  if (existsSync(path)) {
    const real = realpathSync(path);
    if (!isInside(realpathSync(dir), real)) {
      throw new ModelLoadError(`${path}: resolves to ${real} through a symbolic link, outside the model folder`);
    }
  }
  return path;
}

/** `modelFilePath` for a file the service reads: it must also exist and be a regular file. */
export function requiredModelFile(dir: string, name: string, field = name): string {
  const path = modelFilePath(dir, name, field);
  if (!existsSync(path) || !statSync(path).isFile()) throw new ModelLoadError(`${path}: file not found`);
  return path;
}

/**
 * Confine every file the manifest names, including those only the wand and the registry use (the
 * edge network and its C header): a manifest pointing outside its folder is refused as a whole.
 */
export function confineManifestFiles(dir: string, manifest: ModelManifest): void {
  const { cloud, edge } = manifest.models;
  modelFilePath(dir, cloud.file, 'models.cloud.file');
  if (edge) {
    modelFilePath(dir, edge.file, 'models.edge.file');
    modelFilePath(dir, edge.header, 'models.edge.header');
  }
}
