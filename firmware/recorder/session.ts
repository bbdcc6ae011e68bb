/**
 * One recording session: asks the wand for captures of one class (`r <label>`), checks each at
 * once with the same reader and quality rules as `npm run data:check`, asks for a redo of a broken
 * or suspect capture, and saves the good ones (store.ts) until `count` are saved.
 */
import { parseRecordingCsv, recordingWarnings, RecordingError } from '../../gesture/src';
import type { WandLink } from './link';
import { CaptureReader, type Capture } from './protocol';
import { RecordingStore, CSV_HEADER } from './store';

export interface SessionOptions {
  label: string;
  person: string;
  count: number;
  out: string;
  /** How long a capture may take to arrive after asking (1 s of gesture plus the serial transfer). */
  captureTimeoutMs: number;
  /** Attempts per recording before giving up (broken and suspect captures are redone). */
  maxAttempts: number;
  /** Waits until the person is ready for the next capture (a key press, or nothing when not interactive). */
  ready: (label: string, number: number, total: number) => Promise<void>;
  report: (message: string) => void;
  saved: (path: string, done: number, total: number) => void;
}

export class SessionError extends Error {}

/** Why a capture cannot be used, or undefined when it is good. */
function rejectionOf(capture: Capture, label: string): string | undefined {
  if (capture.label !== label) return `the wand recorded "${capture.label}", not "${label}"`;
  try {
    const samples = parseRecordingCsv(`${CSV_HEADER}\n${capture.rows.join('\n')}\n`);
    const warnings = recordingWarnings(samples);
    if (warnings.length > 0) return `suspect: ${warnings.map((w) => w.message).join('; ')}`;
  } catch (err) {
    if (err instanceof RecordingError) return `unusable: ${err.message}`;
    throw err;
  }
  return undefined;
}

/** Waits for the next complete capture, or says why none came. */
async function nextCapture(link: WandLink, reader: CaptureReader, timeoutMs: number): Promise<{ capture?: Capture; problem?: string }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const event = await link.next(Math.max(0, deadline - Date.now()));
    if (event.kind === 'timeout') return { problem: `no capture within ${(timeoutMs / 1000).toFixed(1)} s (is the wand running the record-mode sketch?)` };
    if (event.kind === 'closed') {
      const cut = reader.end();
      throw new SessionError(`${event.reason}${cut?.kind === 'broken' ? ` (${cut.reason})` : ''}`);
    }
    const result = reader.push(event.line);
    if (result?.kind === 'capture') return { capture: result.capture };
    if (result?.kind === 'broken') return { problem: result.reason };
  }
}

/**
 * Opening the port of a typical ESP32 board toggles DTR/RTS and reboots it: waits until the sketch's
 * start line (`MODEL: ...`) arrives, or `ms` pass (a wand that did not reboot prints nothing), so the
 * first `r` is not sent into the boot.
 */
export async function awaitWandStart(link: WandLink, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    const event = await link.next(Math.max(0, deadline - Date.now()));
    if (event.kind === 'timeout') return;
    if (event.kind === 'closed') throw new SessionError(event.reason);
    if (event.line.startsWith('MODEL: ') || event.line.startsWith('MODEL_ERROR: ')) return;
  }
}

export async function recordSession(link: WandLink, options: SessionOptions): Promise<string[]> {
  const store = new RecordingStore(options.out, options.label, options.person);
  const reader = new CaptureReader();
  const saved: string[] = [];
  while (saved.length < options.count) {
    const number = saved.length + 1;
    let attempt = 0;
    for (;;) {
      if (++attempt > options.maxAttempts) {
        throw new SessionError(`gave up on recording ${number} of ${options.label} after ${options.maxAttempts} attempts`);
      }
      await options.ready(options.label, number, options.count);
      await link.send(`r ${options.label}`).catch((err: Error) => {
        throw new SessionError(err.message);
      });
      const { capture, problem } = await nextCapture(link, reader, options.captureTimeoutMs);
      const why = problem ?? rejectionOf(capture as Capture, options.label);
      if (why === undefined) {
        const file = store.save((capture as Capture).rows, new Date());
        saved.push(file);
        options.saved(file, saved.length, options.count);
        break;
      }
      options.report(`${options.label} ${number}/${options.count}: ${why}; nothing saved, recording it again`);
    }
  }
  return saved;
}
