import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { CLOSED_PIPE_EXIT_CODE } from '../src/cli/closed-pipe';

const ROOT = resolve(__dirname, '../..');
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const HELPER = join(ROOT, 'gesture/src/cli/closed-pipe.ts');

type Stream = 'stdout' | 'stderr';

/**
 * Runs a command whose reader of `closed` goes away at once (as `| head` does after its lines, or `2>&1 | head`
 * when the next line is a progress line on stderr): exit status and what it wrote on the other stream.
 */
function runWithClosed(closed: Stream, args: string[]): Promise<{ status: number | null; other: string }> {
  return new Promise((done) => {
    const child = spawn(TSX, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child[closed].destroy();
    let other = '';
    child[closed === 'stdout' ? 'stderr' : 'stdout'].on('data', (chunk: Buffer) => (other += chunk.toString()));
    child.on('close', (status) => done({ status, other }));
  });
}

const writer = (guarded: boolean, stream: Stream = 'stdout') =>
  `${guarded ? `require(${JSON.stringify(HELPER)}).stopQuietlyWhenPipeCloses();` : ''}
   const out = process.${stream};
   let i = 0; const more = () => { while (i < 1e5 && out.write('line ' + i++ + '\\n')); if (i < 1e5) out.once('drain', more); };
   more();`;

describe('a command whose reader closes the pipe early', () => {
  it('without the guard, Node crashes with an EPIPE stack trace (what users saw)', async () => {
    const { status, other: stderr } = await runWithClosed('stdout', ['-e', writer(false)]);
    expect(status).not.toBe(0);
    expect(stderr).toMatch(/EPIPE/);
  }, 30_000);

  it('with the guard, it stops quietly with the SIGPIPE status', async () => {
    const { status, other: stderr } = await runWithClosed('stdout', ['-e', writer(true)]);
    expect(stderr).toBe('');
    expect(status).toBe(CLOSED_PIPE_EXIT_CODE);
  }, 30_000);

  it('a closed stderr ends it the same way, and without the guard it does not', async () => {
    expect((await runWithClosed('stderr', ['-e', writer(true, 'stderr')])).status).toBe(CLOSED_PIPE_EXIT_CODE);
    expect((await runWithClosed('stderr', ['-e', writer(false, 'stderr')])).status).not.toBe(CLOSED_PIPE_EXIT_CODE);
  }, 30_000);

  it('npm run data:check stops quietly too', async () => {
    const { status, other: stderr } = await runWithClosed('stdout', [join(ROOT, 'gesture/src/cli/data-check.ts'), join(ROOT, 'data/sample')]);
    expect(stderr).not.toMatch(/EPIPE|Error/);
    expect(status).toBe(CLOSED_PIPE_EXIT_CODE);
  }, 60_000);
});
