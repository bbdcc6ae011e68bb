import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { CLOSED_PIPE_EXIT_CODE } from '../src/cli/closed-pipe';

const ROOT = resolve(__dirname, '../..');
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const HELPER = join(ROOT, 'gesture/src/cli/closed-pipe.ts');

/** Runs a command whose reader goes away at once (as `| head` does after its lines): exit status and stderr. */
function runWithClosedStdout(args: string[]): Promise<{ status: number | null; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(TSX, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (status) => done({ status, stderr }));
  });
}

const writer = (guarded: boolean, stream = 'stdout') =>
  `${guarded ? `require(${JSON.stringify(HELPER)}).stopQuietlyWhenPipeCloses();` : ''}
   const out = process.${stream};
   let i = 0; const more = () => { while (i < 1e5 && out.write('line ' + i++ + '\\n')); if (i < 1e5) out.once('drain', more); };
   more();`;

/** The same with stderr's reader gone (`2>&1 | head` when the next line is a progress line): exit status only. */
function runWithClosedStderr(args: string[]): Promise<number | null> {
  return new Promise((done) => {
    const child = spawn(TSX, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr.destroy();
    child.on('close', done);
  });
}

describe('a command whose reader closes the pipe early', () => {
  it('without the guard, Node crashes with an EPIPE stack trace (what users saw)', async () => {
    const { status, stderr } = await runWithClosedStdout(['-e', writer(false)]);
    expect(status).not.toBe(0);
    expect(stderr).toMatch(/EPIPE/);
  }, 30_000);

  it('with the guard, it stops quietly with the SIGPIPE status', async () => {
    const { status, stderr } = await runWithClosedStdout(['-e', writer(true)]);
    expect(stderr).toBe('');
    expect(status).toBe(CLOSED_PIPE_EXIT_CODE);
  }, 30_000);

  it('a closed stderr ends it the same way, and without the guard it does not', async () => {
    expect(await runWithClosedStderr(['-e', writer(true, 'stderr')])).toBe(CLOSED_PIPE_EXIT_CODE);
    expect(await runWithClosedStderr(['-e', writer(false, 'stderr')])).not.toBe(CLOSED_PIPE_EXIT_CODE);
  }, 30_000);

  it('npm run data:check stops quietly too', async () => {
    const { status, stderr } = await runWithClosedStdout([join(ROOT, 'gesture/src/cli/data-check.ts'), join(ROOT, 'data/sample')]);
    expect(stderr).not.toMatch(/EPIPE|Error/);
    expect(status).toBe(CLOSED_PIPE_EXIT_CODE);
  }, 60_000);
});
