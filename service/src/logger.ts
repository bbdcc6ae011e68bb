import pino, { type Logger } from 'pino';

/** Buffered lines are written at least this often, so a quiet service still logs promptly. */
const FLUSH_INTERVAL_MS = 1000;

/**
 * One JSON line per event on stdout (App Service collects it); never bodies or secrets. Lines are
 * buffered (up to 4 KiB or one second) so a busy service does not pay one write syscall per
 * request; `logger.flush()` runs before a clean exit.
 */
export function createLogger(level: string): Logger {
  const destination = pino.destination({ dest: 1, sync: false, minLength: 4096 });
  setInterval(() => destination.flush(), FLUSH_INTERVAL_MS).unref();
  return pino({ level, base: { service: 'wandcloud' }, timestamp: pino.stdTimeFunctions.isoTime }, destination);
}
