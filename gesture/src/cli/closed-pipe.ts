/**
 * A reader that stops early (`npm run data:check -- dir | head`) closes the pipe, and the next write fails with
 * EPIPE, which Node reports as an unhandled 'error' with a stack trace. Stop quietly instead, with the status a
 * Unix tool killed by SIGPIPE has (128 + 13), so `set -o pipefail` scripts still see that output was cut short.
 */
export const CLOSED_PIPE_EXIT_CODE = 141;

export function stopQuietlyWhenPipeCloses(stream: NodeJS.WriteStream = process.stdout): void {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    process.exit(CLOSED_PIPE_EXIT_CODE);
  });
}
