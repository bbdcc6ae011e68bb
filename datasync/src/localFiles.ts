import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

export interface LocalState {
  sha256: string;
  mtime: Date;
}

/** The file's hash and modification time, or undefined when there is no file. */
export async function localState(path: string): Promise<LocalState | undefined> {
  try {
    const [bytes, info] = await Promise.all([readFile(path), stat(path)]);
    return { sha256: sha256Hex(bytes), mtime: info.mtime };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/**
 * Write via a hidden temporary file and a rename, so an interrupted download never leaves a truncated
 * recording under a real name (the shared loader skips dot-files). The file's mtime is set to the blob's
 * last-modified time: a later local edit is then recognisably newer than the copy in the container.
 */
export async function writeFileAtomically(path: string, bytes: Uint8Array, mtime: Date): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.partial`);
  try {
    await writeFile(temp, bytes);
    await utimes(temp, mtime, mtime);
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}
