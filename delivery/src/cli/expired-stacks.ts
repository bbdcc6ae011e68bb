import { parseArgs } from 'node:util';
import { expiredStacks } from '../expiredStacks';
import { stopQuietlyWhenPipeCloses } from '../../../gesture/src/cli/closed-pipe';

stopQuietlyWhenPipeCloses();

/** Prints the JSON list of stacks past `wandcloud:expiresOn`, for teardown.yml's scheduled run. */
const { values } = parseArgs({ options: { dir: { type: 'string', default: '.' }, today: { type: 'string', default: new Date().toISOString().slice(0, 10) } } });
try {
  console.log(JSON.stringify(expiredStacks(values.dir, values.today)));
} catch (err) {
  console.error(`expired-stacks: ${(err as Error).message}`);
  process.exitCode = 2;
}
