/**
 * `npm run class -- plan|preview|up|status|destroy --roster roster.csv [--course techin515]
 *   [--regions westus2,eastus,...] [--apps-per-plan 10] [--shared-plan B1] [--stack-prefix lab5-]
 *   [--config key=value ...] [--parallel 4] [--subscription <id>] [--keep-stacks] [--json] [--yes] [--service-identity]`
 * Plans where every student's app goes, then runs the class stack and the students' stacks with the Automation API
 * as the instructor's own sign-in (`az login`), and prints a table.
 */
import { execFileSync } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { StackConfigFields } from '../config/schema';
import { classStackName } from './classNames';
import { BASIC_SKUS, describePlacement, placeApps, type BasicSku } from './placement';
import { CLASS_COMMANDS, planClass, planDocument, type ClassCommand, type RunCommand } from './plan';
import { lineProgress, multibarProgress } from './progress';
import { parseRoster, ROSTER_COLUMNS } from './roster';
import { formatTable, leftovers, runClass } from './run';
import { PULUMI_INSTALL_HINT } from '../pulumiCli';
import { confirmDestroy, serviceIdentityProblem } from './signIn';
import { stopQuietlyWhenPipeCloses } from '../../gesture/src/cli/closed-pipe';

export const DEFAULT_REGIONS = ['westus2', 'westus3', 'centralus', 'eastus'];

export const PULUMI_MISSING = `class: the Pulumi CLI is not on PATH; ${PULUMI_INSTALL_HINT}, then open a new shell`;

export function parseClassArgs(argv: string[]) {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      roster: { type: 'string' },
      course: { type: 'string', default: 'techin515' },
      // Four regions fit the example class of 40 on free plans; `npm run preflight` lists the ones a subscription allows.
      regions: { type: 'string', default: DEFAULT_REGIONS.join(',') },
      'apps-per-plan': { type: 'string', default: '10' },
      'shared-plan': { type: 'string' },
      'stack-prefix': { type: 'string', default: '' },
      config: { type: 'string', multiple: true, default: [] },
      parallel: { type: 'string', default: '4' },
      subscription: { type: 'string' },
      'keep-stacks': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      yes: { type: 'boolean', default: false },
      'service-identity': { type: 'boolean', default: false },
    },
  });
  const command = positionals[0] as ClassCommand;
  if (!CLASS_COMMANDS.includes(command)) throw new Error(`command must be one of ${CLASS_COMMANDS.join('|')}`);
  if (!values.roster) throw new Error(`--roster roster.csv is required (columns ${ROSTER_COLUMNS.join(',')})`);
  const sharedPlan = values['shared-plan'];
  if (sharedPlan !== undefined && !BASIC_SKUS.includes(sharedPlan as BasicSku)) throw new Error(`--shared-plan must be ${BASIC_SKUS.join('|')}`);
  const course = StackConfigFields.shape.course.safeParse(values.course);
  if (!course.success) throw new Error(`--course ${course.error.issues[0].message}`);
  if (!/^[A-Za-z0-9._-]*$/.test(values['stack-prefix'])) throw new Error('--stack-prefix may hold only letters, digits, . _ and -');
  const parallel = Number(values.parallel);
  if (!Number.isInteger(parallel) || parallel < 1 || parallel > 20) throw new Error('--parallel must be a whole number from 1 to 20');
  const sharedConfig = Object.fromEntries(
    values.config.map((pair) => {
      const eq = pair.indexOf('=');
      if (eq < 1) throw new Error(`--config takes key=value, got ${pair}`);
      return [pair.slice(0, eq), pair.slice(eq + 1)];
    }),
  );
  return {
    command,
    roster: values.roster,
    course: course.data,
    regions: values.regions.split(',').map((r) => r.trim()).filter((r) => r !== ''),
    appsPerPlan: Number(values['apps-per-plan']),
    sharedPlan: sharedPlan as BasicSku | undefined,
    stackPrefix: values['stack-prefix'],
    sharedConfig,
    parallel,
    subscriptionId: values.subscription,
    keepStacks: values['keep-stacks'],
    json: values.json,
    yes: values.yes,
    serviceIdentity: values['service-identity'],
  };
}

/** A word as a POSIX shell reads it back, so the printed re-run command can be pasted as it is. */
export const shellWord = (word: string): string => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`);

/** Whether an executable is on PATH, checked before the Automation API would fail with a stack trace. */
export function onPath(command: string, path = process.env.PATH ?? ''): boolean {
  return path.split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** The subscription the stacks deploy to: as given, as the environment says, or the Azure CLI's current one (local, no call). */
function signedInSubscription(given: string | undefined): string {
  const id = given ?? process.env.ARM_SUBSCRIPTION_ID ?? process.env.AZURE_SUBSCRIPTION_ID;
  if (id) return id;
  try {
    return execFileSync('az', ['account', 'show', '--query', 'id', '-o', 'tsv'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    throw new Error('no subscription: sign in with `az login` (and `az account set -s <id>`), or pass --subscription <id>');
  }
}

async function askOnTerminal(question: string): Promise<string> {
  const terminal = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return await terminal.question(question);
  } finally {
    terminal.close();
  }
}

async function main(argv: string[]): Promise<number> {
  const args = parseClassArgs(argv);
  if (args.command !== 'plan' && !onPath('pulumi')) {
    console.error(PULUMI_MISSING);
    return 2;
  }
  const identity = args.command === 'plan' ? undefined : serviceIdentityProblem(process.env, args.serviceIdentity);
  if (identity) throw new Error(identity);
  const creates = args.command === 'plan' || args.command === 'up' || args.command === 'preview';
  const roster = parseRoster(readFileSync(args.roster, 'utf8'), creates ? { expiringAfter: new Date() } : {});
  const placement = placeApps(roster, args);
  const subscriptionId = args.command === 'plan' ? (args.subscriptionId ?? process.env.ARM_SUBSCRIPTION_ID) : signedInSubscription(args.subscriptionId);
  const options = { ...args, subscriptionId };
  const tasks = planClass(args.command === 'plan' ? 'plan' : args.command, roster, placement, options);

  if (args.command === 'plan') {
    if (args.json) {
      console.log(JSON.stringify(planDocument(placement, tasks, options), null, 2));
    } else {
      console.log(describePlacement(placement));
      for (const t of tasks) console.log(`${t.stackName}  ${t.plan.name}  ${t.plan.region}`);
    }
    return 0;
  }

  // Loaded only to run stacks: Pulumi, its Azure providers and the Azure SDK take seconds to load, and plan needs none.
  const [{ localClassWorkspace }, { azureSoftDeleteCleanup }, { defineClassStack }, { AzureCliCredential, DefaultAzureCredential }] = await Promise.all([
    import('./automation'),
    import('./azureCleanup'),
    import('./classStack'),
    import('@azure/identity'),
  ]);
  const command: RunCommand = args.command;
  if (command === 'destroy') await confirmDestroy(tasks.length, args.course, args.yes, process.stdin.isTTY ? askOnTerminal : undefined);
  // Said before anything is created, so an instructor can stop a costly or impossible layout in time.
  console.error(describePlacement(placement));
  const expiresOn = roster.map((s) => s.expiresOn).sort().at(-1) as string;
  const progress = process.stderr.isTTY ? multibarProgress() : lineProgress((line) => console.error(line));
  const rows = await runClass(
    command,
    {
      name: classStackName(args.course),
      keepStack: args.keepStacks,
      program: async () => {
        const outputs = defineClassStack({ course: args.course, placement, expiresOn, students: roster });
        return { ...outputs };
      },
    },
    tasks,
    {
      workspace: await localClassWorkspace(resolve(__dirname, '..', '..')),
      // The instructor's az login itself, not whatever DefaultAzureCredential would find first.
      cleanup: azureSoftDeleteCleanup(args.serviceIdentity ? new DefaultAzureCredential() : new AzureCliCredential()),
      progress,
      parallel: args.parallel,
      today: new Date().toISOString().slice(0, 10),
    },
  );
  progress.stop();
  console.log(formatTable(rows));
  if (command === 'destroy') console.log(leftovers(rows, ['npm', 'run', 'class', '--', ...argv].map(shellWord).join(' ')));
  return rows.some((r) => r.result === 'failed' || r.result === 'kept') ? 1 : 0;
}

if (require.main === module) {
  stopQuietlyWhenPipeCloses();
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: Error) => {
      console.error(`class: ${err.message}`);
      process.exit(2);
    },
  );
}
