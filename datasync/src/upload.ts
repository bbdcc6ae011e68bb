import { readFile, stat } from 'node:fs/promises';
import type { ContainerClient } from '@azure/storage-blob';
import { readDatasets, separabilityByGroup, separabilityWarning, type Recording } from '../../gesture/src';
import { blobNameFor, ownerPrefix } from './blobNames';
import { describeError, listRemote, SHA256_METADATA, type RemoteBlob } from './remote';
import { emptyReport, forEachLimited, record, silentProgress, type SyncProgress, type SyncReport } from './report';

export interface UploadOptions {
  container: ContainerClient;
  dir: string;
  owner: string;
  overwrite?: boolean;
  concurrency?: number;
  minRows?: number;
  signal?: AbortSignal;
  progress?: SyncProgress;
}

/** Statuses the conditional upload answers with when someone else changed the blob since we listed it. */
const RACED = new Set([409, 412]);

/**
 * Upload every valid recording under `dir` to `<owner>/...`. Files whose bytes already match the blob
 * (by sha256) cost nothing; a blob that differs and is newer than the local file is left alone and
 * reported as a conflict; every write is conditional on the blob being the one we listed.
 */
export async function uploadRecordings(options: UploadOptions): Promise<SyncReport> {
  const { container, dir, owner } = options;
  const progress = options.progress ?? silentProgress;
  const read = readDatasets(dir, { minRows: options.minRows });
  const report = emptyReport();
  report.rejected = read.rejected.map(({ path, reason }) => ({ path, reason }));
  for (const [person, s] of separabilityByGroup(read.recordings, (r) => r.personId)) {
    const warning = separabilityWarning(s);
    if (warning) report.lookAlike.push({ person, warning });
  }
  const remote = await listRemote(container, [ownerPrefix(owner)]);

  const uploadOne = async (rec: Recording): Promise<void> => {
    const name = blobNameFor(owner, dir, rec.path);
    const existing = remote.get(name);
    if (existing?.sha256 === rec.sha256) return record(report, progress, rec.path, 'unchanged');
    try {
      const mtime = (await stat(rec.path)).mtime;
      if (existing && !options.overwrite && existing.lastModified > mtime) {
        return record(report, progress, rec.path, 'conflict', `the container's copy is newer (${existing.lastModified.toISOString()})`);
      }
      const bytes = await readFile(rec.path);
      await container.getBlockBlobClient(name).uploadData(bytes, {
        metadata: { [SHA256_METADATA]: rec.sha256 },
        blobHTTPHeaders: { blobContentType: 'text/csv' },
        conditions: writeCondition(existing),
        abortSignal: options.signal,
      });
      record(report, progress, rec.path, 'transferred');
    } catch (err) {
      const status = (err as { statusCode?: number }).statusCode;
      if (status !== undefined && RACED.has(status)) {
        return record(report, progress, rec.path, 'conflict', 'the blob changed in the container during the upload');
      }
      record(report, progress, rec.path, 'failed', describeError(err));
    }
  };

  progress.start(read.recordings.length);
  try {
    await forEachLimited(read.recordings, options.concurrency ?? 8, uploadOne, (rec) => record(report, progress, rec.path, 'failed', 'interrupted'), options.signal);
  } finally {
    progress.stop();
  }
  return report;
}

/** Create only if absent, or replace only the exact version we compared against. */
const writeCondition = (existing: RemoteBlob | undefined) => (existing ? { ifMatch: existing.etag } : { ifNoneMatch: '*' });
