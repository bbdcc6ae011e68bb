/**
 * npm run simulate -- --server <url> --data <dir> [--api-key K] [--threshold T] [--deadline-ms N]
 *                     [--budget N] [--min-motion G] [--offline] [--no-cloud-baseline] [--quiet]
 * Replays recordings through the wand's C++ core, prints the serial log lines and a summary.
 * The API key may also come from WAND_API_KEY (keeps it out of shell history).
 */
import { parseArgs } from 'node:util';
import { readDatasets } from '../../gesture/src';
import { formatSummary, simulate } from './simulator';
import { stopQuietlyWhenPipeCloses } from '../../gesture/src/cli/closed-pipe';

stopQuietlyWhenPipeCloses();

const USAGE = 'usage: npm run simulate -- --server <url> --data <dir> [--api-key K] [--threshold 0..1] [--deadline-ms N] [--budget N] [--min-motion G] [--offline] [--no-cloud-baseline] [--quiet]';

function fail(message: string): never {
  process.stderr.write(`simulate: ${message}\n${USAGE}\n`);
  process.exit(2);
}

function numberArg(value: string | undefined, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max) fail(`--${name} must be a number in ${min}..${max}`);
  return n;
}

async function main(): Promise<void> {
  let args;
  try {
    args = parseArgs({
      options: {
        server: { type: 'string' },
        data: { type: 'string' },
        'api-key': { type: 'string' },
        threshold: { type: 'string' },
        'deadline-ms': { type: 'string' },
        budget: { type: 'string' },
        'min-motion': { type: 'string' },
        offline: { type: 'boolean', default: false },
        'no-cloud-baseline': { type: 'boolean', default: false },
        quiet: { type: 'boolean', default: false },
      },
    }).values;
  } catch (err) {
    fail((err as Error).message);
  }
  if (!args.server || !args.data) fail('--server and --data are required');
  try {
    const url = new URL(args.server);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error();
  } catch {
    fail(`--server must be an http(s) URL, got "${args.server}"`);
  }
  const { recordings, rejected } = readDatasets(args.data);
  for (const r of rejected) process.stderr.write(`skipped ${r.path}: ${r.reason}\n`);
  if (recordings.length === 0) fail(`no usable recordings under ${args.data}`);

  const summary = await simulate({
    server: args.server,
    recordings,
    apiKey: args['api-key'] ?? process.env.WAND_API_KEY,
    online: !args.offline,
    cloudBaseline: !args['no-cloud-baseline'],
    settings: {
      threshold: numberArg(args.threshold, 'threshold', 0, 1),
      deadlineMs: numberArg(args['deadline-ms'], 'deadline-ms', 1, 60_000),
      budgetPerMinute: numberArg(args.budget, 'budget', 0, 65_535),
      minMotionG: numberArg(args['min-motion'], 'min-motion', 0, 1),
    },
    onLine: args.quiet ? undefined : (line) => process.stdout.write(`${line}\n`),
  });
  process.stdout.write(`\n${formatSummary(summary)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`simulate: ${(err as Error).message}\n`);
  process.exit(1);
});
