import { createServer, type Server } from 'node:http';
import { Server as NetServer, type AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { createApp, type ServiceApp } from './app';
import type { ServiceConfig } from './config';
import { createLogger } from './logger';
import { loadVerifiedModel } from './golden-check';
import type { LoadedModel } from './model';

export interface RunningService extends ServiceApp {
  server: Server;
  model: LoadedModel;
  logger: Logger;
  port: number;
  /** Base URL on loopback, e.g. http://127.0.0.1:8000 */
  url: string;
  /**
   * Graceful stop: not ready at once, but keep serving for the drain period (every answer says
   * `Connection: close`, so kept-alive clients reconnect elsewhere); then stop listening, close idle
   * connections, let in-flight requests finish (up to the shutdown timeout), release the model.
   */
  stop: () => Promise<void>;
}

/** How often Node looks for requests over REQUEST_TIMEOUT_MS: the 408 comes at most this late. */
const TIMEOUT_CHECK_MS = 250;

/** After the listener closes, how long a connection may stay idle before it is closed. */
const IDLE_GRACE_MS = 500;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The telemetry module, required only when configured: the Azure Monitor distro it imports is large
 * (and a file of its own in the App Service package). A require, not `import()`: tsx's CommonJS hook
 * (`npm start`) and esbuild (the package) both resolve it.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const loadTelemetry = (): typeof import('./telemetry') => require('./telemetry');

/**
 * Load, verify (files confined to the model folder, golden vectors) and warm the model, then listen:
 * readiness is true from the first accepted connection.
 * Throws ModelLoadError for a model folder that cannot be served.
 */
export async function startServer(config: ServiceConfig, logger: Logger = createLogger(config.logLevel)): Promise<RunningService> {
  const model = await loadVerifiedModel(config.modelDir, config.maxBatch);
  const telemetry = config.telemetry && loadTelemetry().startTelemetry({ ...config.telemetry, model: `${model.manifest.name} ${model.manifest.version}` }, logger);
  const service = createApp(config, model, logger, telemetry);
  const server = createServer(
    // Node checks request timeouts on this timer (30 s by default, so a 408 came up to 30 s late).
    { requestTimeout: config.requestTimeoutMs, headersTimeout: config.requestTimeoutMs, connectionsCheckingInterval: TIMEOUT_CHECK_MS },
    service.admission.listener(service.app.callback()),
  );
  server.maxConnections = config.maxConnections;
  server.on('drop', () => service.turnedAway('connections'));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const { manifest } = model;
  logger.info(
    {
      port,
      host: config.host ?? 'all interfaces',
      model: manifest.name,
      version: manifest.version,
      labels: manifest.labels,
      apiKey: config.apiKey ? 'required' : 'off',
      rateLimit: config.rateLimit,
    },
    'listening',
  );

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      service.lifecycle.ready = false;
      service.lifecycle.draining = true;
      logger.info({ drainMs: config.shutdownDrainMs }, 'draining: not ready, still serving');
      await sleep(config.shutdownDrainMs);
      // net.Server's close only stops listening: http.Server's also destroys "idle" connections at
      // once, and a connection accepted a moment ago whose request is not parsed yet counts as idle
      // (that reset clients whose requests were already sent). Those get IDLE_GRACE_MS to be read
      // and answered (with Connection: close); connections idle past it are closed then.
      const closed = new Promise<void>((resolve) => NetServer.prototype.close.call(server, () => resolve()));
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), config.shutdownTimeoutMs);
      });
      await Promise.race([closed, sleep(Math.min(IDLE_GRACE_MS, config.shutdownTimeoutMs))]);
      server.closeIdleConnections();
      if ((await Promise.race([closed, deadline])) === 'timeout') {
        logger.warn('shutdown timeout: closing remaining connections');
        server.closeAllConnections();
        await closed;
      }
      clearTimeout(timer);
      await service.batcher.idle();
      await model.session.release();
      await telemetry?.shutdown().catch((err: unknown) => logger.warn({ err }, 'telemetry: could not send the last items'));
      service.overloadLog.flush();
      logger.info('stopped');
    })();
    return stopping;
  };

  return { ...service, server, model, logger, port, url: `http://127.0.0.1:${port}`, stop };
}
