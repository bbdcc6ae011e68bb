import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createConnection, createServer } from 'node:net';
import { join } from 'node:path';

/** The storage account each test Azurite serves (AZURITE_ACCOUNTS), with a key made fresh per instance. */
const ACCOUNT = 'wandtest';

const AZURITE_BIN = join(__dirname, '..', '..', 'node_modules', '.bin', 'azurite-blob');

/** A port that was free a moment ago (bind port 0 on loopback and read what the kernel chose). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

const canConnect = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

/** A real Azurite blob endpoint on loopback, storing its data in `location` (kept across restarts). */
export class Azurite {
  private child?: ChildProcess;
  /** Random per instance, so no storage key is ever written into the repository. */
  private readonly accountKey = randomBytes(64).toString('base64');

  constructor(
    readonly location: string,
    readonly port: number,
  ) {}

  get connectionString(): string {
    const parts = {
      DefaultEndpointsProtocol: 'http',
      AccountName: ACCOUNT,
      AccountKey: this.accountKey,
      BlobEndpoint: `http://127.0.0.1:${this.port}/${ACCOUNT}`,
    };
    return Object.entries(parts).map(([name, value]) => `${name}=${value}`).join(';');
  }

  async start(): Promise<void> {
    const args = ['--location', this.location, '--blobHost', '127.0.0.1', '--blobPort', String(this.port), '--silent', '--skipApiVersionCheck'];
    const env = { ...process.env, AZURITE_ACCOUNTS: `${ACCOUNT}:${this.accountKey}` };
    const child = spawn(AZURITE_BIN, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    this.child = child;
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const deadline = Date.now() + 20_000;
    while (!(await canConnect(this.port))) {
      if (child.exitCode !== null) throw new Error(`azurite exited with ${child.exitCode}: ${stderr}`);
      if (Date.now() > deadline) throw new Error(`azurite did not listen on ${this.port} within 20 s: ${stderr}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await exited;
  }
}

export async function startAzurite(location: string): Promise<Azurite> {
  const azurite = new Azurite(location, await freePort());
  await azurite.start();
  return azurite;
}
