/**
 * npm run record -- --port <serial device> --class <label> [--person me] [--count 10] [--out data/<person>]
 *                   [--baud 115200] [--timeout-ms 5000] [--attempts 3] [--boot-wait-ms 3000]
 * Records gestures from a wand running the sketch's record mode (firmware/recorder/README.md).
 * Without --port, lists the serial ports found.
 */
import { existsSync, readdirSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { SingleBar } from 'cli-progress';
import { z } from 'zod';
import { listPorts, SerialLink } from './link';
import { reviewRecordings } from './review';
import { awaitWandStart, recordSession, SessionError } from './session';
import { stopQuietlyWhenPipeCloses } from '../../gesture/src/cli/closed-pipe';

stopQuietlyWhenPipeCloses();

const USAGE = 'usage: npm run record -- --port <serial device> --class <label> [--person me] [--count 10] [--out data/<person>] [--baud 115200] [--timeout-ms 5000] [--attempts 3] [--boot-wait-ms 3000]';

const NAME = /^[A-Za-z0-9-]{1,32}$/;
const Options = z.object({
  port: z.string().min(1),
  class: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, 'a class is 1-32 letters, digits, - or _ (it names a folder)'),
  person: z.string().regex(NAME, 'a person is 1-32 letters, digits or - (it is part of each file name)'),
  count: z.coerce.number().int().min(1).max(1000),
  out: z.string().min(1).optional(),
  baud: z.coerce.number().int().min(300).max(4_000_000),
  'timeout-ms': z.coerce.number().int().min(100).max(600_000),
  attempts: z.coerce.number().int().min(1).max(100),
  /** An ESP32 board reboots when its port opens; the sketch's start line comes within about 2 s. */
  'boot-wait-ms': z.coerce.number().int().min(0).max(60_000),
});

function fail(message: string): never {
  process.stderr.write(`record: ${message}\n${USAGE}\n`);
  process.exit(2);
}

/** Serial devices by name, for when serialport cannot enumerate them. */
function serialDevices(): string[] {
  const byId = '/dev/serial/by-id';
  if (existsSync(byId)) return readdirSync(byId).map((name) => path.join(byId, name));
  return readdirSync('/dev').filter((name) => /^tty(USB|ACM)\d+$/.test(name)).map((name) => `/dev/${name}`);
}

async function showPorts(): Promise<void> {
  const { ports, note } = await listPorts(serialDevices);
  if (note) process.stdout.write(`(${note})\n`);
  if (ports.length === 0) process.stdout.write('no serial ports found: plug the wand in (USB) and try again\n');
  for (const p of ports) process.stdout.write(`${p.path}${p.description ? `  ${p.description}` : ''}\n`);
  process.stdout.write('then: npm run record -- --port <one of these> --class <label>\n');
}

async function main(): Promise<number> {
  let raw;
  try {
    raw = parseArgs({
      options: {
        port: { type: 'string' },
        class: { type: 'string' },
        person: { type: 'string', default: 'me' },
        count: { type: 'string', default: '10' },
        out: { type: 'string' },
        baud: { type: 'string', default: '115200' },
        'timeout-ms': { type: 'string', default: '5000' },
        attempts: { type: 'string', default: '3' },
        'boot-wait-ms': { type: 'string', default: '3000' },
      },
    }).values;
  } catch (err) {
    fail((err as Error).message);
  }
  if (raw.port === undefined) {
    await showPorts();
    return 0;
  }
  const parsed = Options.safeParse(raw);
  if (!parsed.success) fail(parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; '));
  const options = parsed.data;
  const out = options.out ?? path.join('data', options.person);

  const interactive = process.stdin.isTTY === true;
  const prompt = interactive ? createInterface({ input: process.stdin, output: process.stderr }) : undefined;
  const bar = new SingleBar({ format: '{bar} {value}/{total} {label}', stream: process.stderr, hideCursor: true, noTTYOutput: false });
  const link = await SerialLink.open(options.port, options.baud).catch((err: Error) => fail(err.message));
  process.stderr.write(`recording ${options.count} x ${options.class} for ${options.person} into ${path.join(out, options.class)}\n`);
  try {
    await awaitWandStart(link, options['boot-wait-ms']);
    bar.start(options.count, 0, { label: options.class });
    const saved = await recordSession(link, {
      label: options.class,
      person: options.person,
      count: options.count,
      out,
      captureTimeoutMs: options['timeout-ms'],
      maxAttempts: options.attempts,
      ready: async (label, number, total) => {
        if (!prompt) return;
        await prompt.question(`\n${label} ${number}/${total}: press Enter, then make the gesture within 1 s `).catch(() => {
          throw new SessionError('stopped at the prompt (Ctrl+D or Ctrl+C)');
        });
      },
      report: (message) => process.stderr.write(`\n${message}\n`),
      saved: (file, done, total) => {
        bar.update(done);
        // without a terminal the bar is not drawn: one line per file shows the progress instead
        if (!process.stderr.isTTY) process.stderr.write(`${done}/${total} ${options.class}: saved ${file}\n`);
      },
    });
    bar.stop();
    process.stdout.write(`saved ${saved.length} recordings of ${options.class} in ${path.join(out, options.class)}\n`);
    const review = reviewRecordings(out, options.person);
    if (review) process.stdout.write(`${review}\n`);
    return 0;
  } catch (err) {
    bar.stop();
    if (!(err instanceof SessionError)) throw err;
    process.stderr.write(`record: ${err.message}; the recordings saved so far are kept\n`);
    return 1;
  } finally {
    prompt?.close();
    await link.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`record: ${(err as Error).message}\n`);
    process.exit(1);
  },
);
