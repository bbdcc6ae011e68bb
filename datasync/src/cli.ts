import { parseArgs } from 'node:util';
import { ConfigError, DEFAULT_CONTAINER, parseSyncConfig, type SyncConfig } from './config';
import { downloadRecordings } from './download';
import { progressBar } from './progressBar';
import { connectContainer, describeError } from './remote';
import type { FileIssue, SyncReport } from './report';
import { uploadRecordings } from './upload';
import { stopQuietlyWhenPipeCloses } from '../../gesture/src/cli/closed-pipe';

stopQuietlyWhenPipeCloses();

const USAGE = `usage: npm run data:upload -- <dir> --owner <you>
       npm run data:download -- <dir> [--owner <name> ...]
options: --container <name> (default ${DEFAULT_CONTAINER}) --account-url <https://ACCOUNT.blob.core.windows.net>
         --overwrite --concurrency <n> --min-rows <n>
environment: WAND_STORAGE_URL, WAND_DATA_CONTAINER, WAND_DATA_OWNER, AZURE_STORAGE_CONNECTION_STRING`;

function readConfig(argv: string[], env: NodeJS.ProcessEnv): SyncConfig {
  const [direction, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      owner: { type: 'string', multiple: true },
      container: { type: 'string' },
      'account-url': { type: 'string' },
      overwrite: { type: 'boolean', default: false },
      concurrency: { type: 'string', default: '8' },
      'min-rows': { type: 'string' },
    },
  });
  if (positionals.length !== 1) throw new ConfigError(`expected one recordings folder, got ${positionals.length}\n${USAGE}`);
  const envOwners = env.WAND_DATA_OWNER ? [env.WAND_DATA_OWNER] : [];
  return parseSyncConfig({
    direction,
    dir: positionals[0],
    container: values.container ?? env.WAND_DATA_CONTAINER ?? DEFAULT_CONTAINER,
    owners: values.owner ?? (direction === 'upload' ? envOwners : []),
    connectionString: env.AZURE_STORAGE_CONNECTION_STRING || undefined,
    accountUrl: values['account-url'] ?? (env.WAND_STORAGE_URL || undefined),
    overwrite: values.overwrite,
    concurrency: Number(values.concurrency),
    minRows: values['min-rows'] === undefined ? undefined : Number(values['min-rows']),
  });
}

function printIssues(title: string, issues: FileIssue[]): void {
  if (issues.length === 0) return;
  console.log(`${title}:`);
  for (const { path, reason } of issues) console.log(`  ${path}: ${reason}`);
}

function printReport(cfg: SyncConfig, report: SyncReport): void {
  const verb = cfg.direction === 'upload' ? 'uploaded' : 'downloaded';
  printIssues('rejected (not uploaded: fix or re-record them)', report.rejected);
  printIssues('conflicts (kept as they are; --overwrite replaces them)', report.conflicts);
  printIssues('failed (run the same command again to resume)', report.failed);
  printIssues('look alike (uploaded, but a model will confuse these gestures: worth recording again)', report.lookAlike.map(({ person, warning }) => ({ path: person, reason: warning })));
  console.log(
    `${report.transferred.length} ${verb}, ${report.unchanged.length} unchanged, ${report.conflicts.length} conflicts, ` +
      `${report.failed.length} failed${cfg.direction === 'upload' ? `, ${report.rejected.length} rejected` : ''}`,
  );
}

/** Config and folder errors are already written for the user; storage errors are reduced to their code. */
function fatalMessage(err: unknown): string {
  if (err instanceof ConfigError || (err as Error).name === 'RecordingError') return (err as Error).message;
  const reason = describeError(err);
  return reason.includes('ContainerNotFound')
    ? `${reason}: the container does not exist (check WAND_DATA_CONTAINER against the stack output)`
    : reason;
}

async function main(): Promise<number> {
  const cfg = readConfig(process.argv.slice(2), process.env);
  const container = connectContainer(cfg);
  const abort = new AbortController();
  process.once('SIGINT', () => abort.abort());
  const common = { container, dir: cfg.dir, overwrite: cfg.overwrite, concurrency: cfg.concurrency, signal: abort.signal };
  const report =
    cfg.direction === 'upload'
      ? await uploadRecordings({ ...common, owner: cfg.owners[0], minRows: cfg.minRows, progress: progressBar('Upload') })
      : await downloadRecordings({ ...common, owners: cfg.owners, progress: progressBar('Download') });
  printReport(cfg, report);
  return report.failed.length + report.conflicts.length > 0 ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(`data sync: ${fatalMessage(err)}`);
    process.exitCode = 2;
  },
);
