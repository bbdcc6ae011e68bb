/**
 * `npm run class -- up|preview|destroy|status --roster roster.csv [--stack-prefix lab5-]
 *   [--config key=value ...] [--keep-stacks]`
 * Runs every student's stack one at a time with the Pulumi Automation API and prints a table.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { azureSoftDeleteCleanup } from './azureCleanup';
import { localClassWorkspace } from './automation';
import { CLASS_COMMANDS, planClass, type ClassCommand } from './plan';
import { parseRoster } from './roster';
import { formatTable, runClass } from './run';

export function parseClassArgs(argv: string[]) {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      roster: { type: 'string' },
      'stack-prefix': { type: 'string', default: '' },
      config: { type: 'string', multiple: true, default: [] },
      'keep-stacks': { type: 'boolean', default: false },
    },
  });
  const command = positionals[0] as ClassCommand;
  if (!CLASS_COMMANDS.includes(command)) throw new Error(`command must be one of ${CLASS_COMMANDS.join('|')}`);
  if (!values.roster) throw new Error('--roster roster.csv is required (columns owner,expiresOn,githubRepo)');
  const sharedConfig = Object.fromEntries(
    values.config.map((pair) => {
      const eq = pair.indexOf('=');
      if (eq < 1) throw new Error(`--config takes key=value, got ${pair}`);
      return [pair.slice(0, eq), pair.slice(eq + 1)];
    }),
  );
  return { command, roster: values.roster, stackPrefix: values['stack-prefix'], sharedConfig, keepStacks: values['keep-stacks'] };
}

async function main(): Promise<number> {
  const args = parseClassArgs(process.argv.slice(2));
  const roster = parseRoster(readFileSync(args.roster, 'utf8'));
  const tasks = planClass(args.command, roster, args);
  const rows = await runClass(args.command, tasks, {
    workspace: await localClassWorkspace(resolve(__dirname, '..', '..')),
    cleanup: azureSoftDeleteCleanup(),
    log: (line) => console.error(line),
    today: new Date().toISOString().slice(0, 10),
  });
  console.log(formatTable(rows));
  return rows.some((r) => r.result === 'failed') ? 1 : 0;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (err: Error) => {
      console.error(`class: ${err.message}`);
      process.exit(2);
    },
  );
}
