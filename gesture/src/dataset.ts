import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { RecordingError } from './errors';
import { parseRecordingCsv, type ParseOptions, type Samples } from './recording';

/** One usable recording, tagged with where it came from. */
export interface Recording {
  /** File path as given (root joined with the relative path). */
  path: string;
  /** Canonical class label (see `canonicalLabels`). */
  label: string;
  /** Source dataset: the folder holding the class folders. */
  dataset: string;
  /** Who recorded it: from `output_<gesture>_<person>_<n>_<timestamp>.csv`, else the dataset name. Lower case. */
  person: string;
  /** `dataset/person`: people are only the same person within one dataset. */
  personId: string;
  samples: Samples;
  /** Number of samples (rows). */
  rows: number;
  /** sha256 of the file's bytes, for fingerprints and sync. */
  sha256: string;
}

export interface Rejection {
  path: string;
  reason: string;
}

export interface DatasetRead {
  recordings: Recording[];
  rejected: Rejection[];
}

export interface ReadOptions extends ParseOptions {
  /** Keep only these classes (compared case-insensitively). */
  classes?: readonly string[];
}

const isDir = (p: string): boolean => statSync(p).isDirectory();
/** A recording's file name, as the loader reads them (the Azure ML pre-check counts them the same way). */
export const isCsv = (name: string): boolean => name.toLowerCase().endsWith('.csv');
const sortedEntries = (dir: string): string[] => readdirSync(dir).filter((n) => !n.startsWith('.')).sort();

/** A dataset folder is one whose sub-folders hold CSV files directly: `<dataset>/<class>/*.csv`. */
function isDatasetFolder(dir: string): boolean {
  return sortedEntries(dir).some((name) => {
    const sub = join(dir, name);
    return isDir(sub) && sortedEntries(sub).some(isCsv);
  });
}

/** The dataset folders under `root`: `root` itself, or (for a pool of datasets) its children, recursively. */
export function findDatasetFolders(root: string): string[] {
  if (!isDir(root)) throw new RecordingError(`${root} is not a folder`);
  if (isDatasetFolder(root)) return [root];
  return sortedEntries(root)
    .map((name) => join(root, name))
    .filter(isDir)
    .flatMap(findDatasetFolders);
}

/** Labels are case-insensitive (`o` and `O` are one class); this is the key they are compared by. */
export const labelKey = (label: string): string => label.trim().toLowerCase();

/**
 * One spelling per class: of the folder names that differ only in case, the one that sorts first in
 * code-point order (upper case before lower case, so `O` wins over `o`). Deterministic for any read order.
 */
export function canonicalLabels(names: Iterable<string>): Map<string, string> {
  const byKey = new Map<string, string>();
  for (const name of names) {
    const key = labelKey(name);
    const current = byKey.get(key);
    if (current === undefined || name < current) byKey.set(key, name);
  }
  return byKey;
}

const TIMESTAMP_SUFFIX = /_\d{8}_\d{6}$/;
const COUNTER_SUFFIX = /_\d+$/;

/**
 * The person part of the course's file name `output_<gesture>_<person>_<n>_<YYYYMMDD_HHMMSS>.csv`.
 * Real files drop the timestamp, the gesture, or write a placeholder (`output_gesture_user_3_...`), so
 * the parse works from both ends; a name that does not follow the pattern yields undefined.
 */
export function personFromFileName(fileName: string, classFolder: string): string | undefined {
  const stem = fileName.replace(/\.csv$/i, '');
  if (!stem.toLowerCase().startsWith('output_')) return undefined;
  let middle = stem.slice('output_'.length).replace(TIMESTAMP_SUFFIX, '');
  if (!COUNTER_SUFFIX.test(middle)) return undefined;
  middle = middle.replace(COUNTER_SUFFIX, '');
  const classPrefix = `${classFolder.toLowerCase()}_`;
  if (middle.toLowerCase().startsWith(classPrefix)) middle = middle.slice(classPrefix.length);
  else if (middle.includes('_')) middle = middle.slice(middle.indexOf('_') + 1);
  return middle === '' ? undefined : middle.toLowerCase();
}

interface FoundFile {
  path: string;
  dataset: string;
  classFolder: string;
  fileName: string;
}

function listFiles(datasetDir: string, root: string): FoundFile[] {
  const dataset = relative(root, datasetDir) || basename(datasetDir);
  return sortedEntries(datasetDir)
    .filter((name) => isDir(join(datasetDir, name)))
    .flatMap((classFolder) =>
      sortedEntries(join(datasetDir, classFolder))
        .filter(isCsv)
        .map((fileName) => ({ path: join(datasetDir, classFolder, fileName), dataset, classFolder, fileName })),
    );
}

/**
 * Read every recording under `root` (one dataset in the course layout, or a folder of such datasets).
 * Unusable files are returned in `rejected` with their reason; they never stop the read.
 */
export function readDatasets(root: string, options: ReadOptions = {}): DatasetRead {
  const files = findDatasetFolders(root).flatMap((dir) => listFiles(dir, root));
  const canonical = canonicalLabels(files.map((f) => f.classFolder));
  const wanted = options.classes ? new Set(options.classes.map(labelKey)) : undefined;
  const recordings: Recording[] = [];
  const rejected: Rejection[] = [];
  for (const file of files) {
    const key = labelKey(file.classFolder);
    if (wanted && !wanted.has(key)) continue;
    try {
      const bytes = readFileSync(file.path);
      const samples = parseRecordingCsv(bytes.toString('utf8'), options);
      const person = personFromFileName(file.fileName, file.classFolder) ?? file.dataset.toLowerCase();
      recordings.push({
        path: file.path,
        label: canonical.get(key) as string,
        dataset: file.dataset,
        person,
        personId: `${file.dataset}/${person}`,
        samples,
        rows: samples.length / 3,
        sha256: createHash('sha256').update(bytes).digest('hex'),
      });
    } catch (err) {
      if (!(err instanceof RecordingError)) throw err;
      rejected.push({ path: file.path, reason: err.message });
    }
  }
  return { recordings, rejected };
}

/**
 * A fingerprint of a training set: changes when any recording's content, label or source changes,
 * and not when files are merely read in another order.
 */
export function fingerprintRecordings(recordings: readonly Recording[]): string {
  const lines = recordings.map((r) => `${labelKey(r.label)}\t${r.personId}\t${r.sha256}`).sort();
  return createHash('sha256').update(lines.join('\n')).digest('hex');
}
