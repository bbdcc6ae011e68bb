export { freePort } from '../../datasync/test/azurite';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { PACKAGE_START_ARGS } from '../src/package/startCommand';

/**
 * The environment App Service gives a Node app, and nothing from this machine's developer setup: no
 * NODE_PATH or NODE_OPTIONS that could reach the repository's node_modules, no npm.
 */
export function appServiceEnv(port: number, settings: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: process.env.HOME, PORT: String(port), ...settings };
}

/** Whether this machine lets an unprivileged process create its own network namespace. */
export const canIsolateNetwork = (): boolean => spawnSync('unshare', ['-rn', 'true']).status === 0;

export interface Started {
  child: ChildProcess;
  output: () => string;
}

/** The package started in `appDir` with the command App Service is given (infra's appCommandLine). */
export function startPackaged(appDir: string, env: NodeJS.ProcessEnv): Started {
  const child = spawn(process.execPath, [...PACKAGE_START_ARGS], { cwd: appDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  return { child, output: () => output };
}

/** SIGTERM, as App Service sends on stop; resolves with the exit code. */
export async function stop(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const [code] = await exited;
  return code as number | null;
}
