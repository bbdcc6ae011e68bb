/**
 * A reader that stops early (`npm run data:check -- dir | head`) closes the pipe, and the next write fails with
 * EPIPE, which Node reports as an unhandled 'error' with a stack trace. Stop quietly instead, with the status a
 * Unix tool killed by SIGPIPE has (128 + 13), so `set -o pipefail` scripts still see that output was cut short.
 * Both streams are guarded: with `2>&1 | head` the next write to fail may be a progress line on stderr.
 */
export const CLOSED_PIPE_EXIT_CODE = 141;

export function stopQuietlyWhenPipeCloses(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE') throw err;
      process.exit(CLOSED_PIPE_EXIT_CODE);
    });
  }
}
