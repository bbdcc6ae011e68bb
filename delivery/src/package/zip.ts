import AdmZip from 'adm-zip';
import { readFileSync } from 'node:fs';
import type { PackageFile } from './files';

export interface ZipEntry {
  zipPath: string;
  bytes: Uint8Array;
}

/** A fixed entry time: the same inputs give the same zip, byte for byte (and the same blob name). */
const ENTRY_TIME = new Date(Date.UTC(2020, 0, 1));

/** rw-r--r--: adm-zip stores it, with the regular-file type, in the external attributes' Unix half. */
const FILE_MODE = 0o644;

export const fromFile = (file: PackageFile): ZipEntry => ({ zipPath: file.zipPath, bytes: readFileSync(file.source) });

/** Entries sorted by path, deflated, with fixed times and modes. */
export function buildZip(entries: readonly ZipEntry[]): Buffer {
  const zip = new AdmZip();
  for (const entry of [...entries].sort((a, b) => (a.zipPath < b.zipPath ? -1 : 1))) {
    zip.addFile(entry.zipPath, Buffer.from(entry.bytes), '', FILE_MODE).header.time = ENTRY_TIME;
  }
  return zip.toBuffer();
}
