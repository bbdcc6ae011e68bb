import { isAbsolute, join, relative, resolve, sep } from 'node:path';

/**
 * Blob names are `<owner>/<path of the file inside the uploaded folder>` with forward slashes, so that
 * downloading several owners into one folder gives `<dir>/<owner>/<class>/<file>.csv`: one dataset per
 * owner, which the shared loader tags as `personId = owner/person`.
 */
export function blobNameFor(owner: string, root: string, file: string): string {
  const rel = relative(root, file);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) throw new Error(`${file} is not inside ${root}`);
  return `${owner}/${rel.split(sep).join('/')}`;
}

/**
 * Where a blob lands under `root`, or undefined when its name would escape the folder or is not a
 * plain relative path (blob names are chosen by whoever uploaded them, so they are untrusted input).
 */
export function localPathFor(root: string, blobName: string): string | undefined {
  const parts = blobName.split('/');
  const unsafe = parts.some((p) => p === '' || p === '.' || p === '..' || p.includes('\\') || p.includes('\0'));
  if (unsafe || blobName.includes(':')) return undefined;
  const target = join(root, ...parts);
  const rel = relative(resolve(root), resolve(target));
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? undefined : target;
}

/** The listing prefix for one owner; the trailing slash keeps `ann` from matching `anna`. */
export const ownerPrefix = (owner: string): string => `${owner}/`;
