import pino, { type Logger } from 'pino';

/** One JSON line per event on stdout (App Service collects it); never bodies or secrets. */
export const createLogger = (level: string): Logger =>
  pino({ level, base: { service: 'wandcloud' }, timestamp: pino.stdTimeFunctions.isoTime });
