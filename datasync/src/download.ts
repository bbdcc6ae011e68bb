import type { ContainerClient } from '@azure/storage-blob';
import { localPathFor, ownerPrefix } from './blobNames';
import { localState, sha256Hex, writeFileAtomically } from './localFiles';
import { describeError, listRemote, type RemoteBlob } from './remote';
import { emptyReport, forEachLimited, record, silentProgress, type SyncProgress, type SyncReport } from './report';

export interface DownloadOptions {
  container: ContainerClient;
  dir: string;
  /** Owners whose prefixes to fetch; empty means the whole container. */
  owners: readonly string[];
  overwrite?: boolean;
  concurrency?: number;
  signal?: AbortSignal;
  progress?: SyncProgress;
}

/**
 * Download blobs to `<dir>/<blob name>`. Files already holding the blob's bytes are not fetched; a local
 * file that differs and was modified after the blob is kept and reported as a conflict; downloaded bytes
 * are checked against the hash recorded at upload before they replace anything.
 */
export async function downloadRecordings(options: DownloadOptions): Promise<SyncReport> {
  const { container, dir } = options;
  const progress = options.progress ?? silentProgress;
  const report = emptyReport();
  const remote = [...(await listRemote(container, options.owners.map(ownerPrefix))).values()];

  const downloadOne = async (blob: RemoteBlob): Promise<void> => {
    const target = localPathFor(dir, blob.name);
    if (target === undefined) return record(report, progress, blob.name, 'failed', 'blob name is not a safe relative path');
    try {
      const local = await localState(target);
      if (local && blob.sha256 === local.sha256) return record(report, progress, target, 'unchanged');
      if (local && !options.overwrite && local.mtime > blob.lastModified) {
        return record(report, progress, target, 'conflict', `the local file is newer than the container's copy (${blob.lastModified.toISOString()})`);
      }
      const bytes = await container.getBlobClient(blob.name).downloadToBuffer(undefined, undefined, { abortSignal: options.signal });
      const hash = sha256Hex(bytes);
      if (blob.sha256 !== undefined && hash !== blob.sha256) {
        return record(report, progress, target, 'failed', 'downloaded bytes do not match the sha256 recorded at upload');
      }
      if (local?.sha256 === hash) return record(report, progress, target, 'unchanged');
      await writeFileAtomically(target, bytes, blob.lastModified);
      record(report, progress, target, 'transferred');
    } catch (err) {
      record(report, progress, target, 'failed', describeError(err));
    }
  };

  progress.start(remote.length);
  try {
    await forEachLimited(remote, options.concurrency ?? 8, downloadOne, (blob) => record(report, progress, blob.name, 'failed', 'interrupted'), options.signal);
  } finally {
    progress.stop();
  }
  return report;
}
