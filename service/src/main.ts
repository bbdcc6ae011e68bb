/**
 * `npm start`: configuration from the environment, the model from MODEL_DIR, graceful exit on
 * SIGTERM/SIGINT. Exit codes: 0 stopped cleanly, 1 model folder unusable, 2 configuration invalid,
 * 3 could not listen, 4 shutdown overran its deadline.
 */
import { ConfigError, loadConfig, type ServiceConfig } from './config';
import { ModelLoadError } from './model';
import { startServer } from './server';

/** Kept under App Service's and Kubernetes' usual 10 s grace period. */
const HARD_EXIT_MS = 9_500;

function fail(code: number, message: string): never {
  process.stderr.write(`wandcloud service: cannot start: ${message}\n`);
  process.exit(code);
}

async function main(): Promise<void> {
  let config: ServiceConfig;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) fail(2, `invalid configuration: ${err.message}`);
    throw err;
  }
  let service: Awaited<ReturnType<typeof startServer>>;
  try {
    service = await startServer(config);
  } catch (err) {
    if (err instanceof ModelLoadError) fail(1, err.message);
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES') fail(3, `cannot listen on port ${config.port} (${code})`);
    throw err;
  }
  /** Exit once the asynchronous log destination has written everything. */
  const exit = (code: number): void => service.logger.flush(() => process.exit(code));
  const shutdown = (signal: NodeJS.Signals): void => {
    service.logger.info({ signal }, 'shutting down');
    setTimeout(() => {
      service.logger.error('shutdown deadline passed, exiting');
      process.exit(4);
    }, HARD_EXIT_MS).unref();
    service.stop().then(
      () => exit(0),
      (err: unknown) => {
        service.logger.error({ err }, 'shutdown failed');
        exit(4);
      },
    );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

void main();
