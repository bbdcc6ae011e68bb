import { stopQuietlyWhenPipeCloses } from '../../../gesture/src/cli/closed-pipe';

/**
 * Runs a command's `main` and sets the exit code: its own on success; 1 on an error, printed as one line
 * when it is an error the command expects (`known`), with the stack otherwise; a reader closing the pipe early
 * ends it quietly.
 */
export function runCli(name: string, main: () => Promise<number>, known: (err: unknown) => boolean = () => true): void {
  stopQuietlyWhenPipeCloses();
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      console.error(`${name}: ${known(err) ? (err as Error).message : (err as Error).stack}`);
      process.exitCode = 1;
    },
  );
}
