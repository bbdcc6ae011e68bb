import pLimit from 'p-limit';
import { configKey } from '../config/schema';
import { softDeletableOf } from '../teardown/softDeleted';
import type { RunCommand, StackTask } from './plan';
import type { ClassProgress } from './progress';
import type { ClassWorkspace, SoftDeleteCleanup } from './workspace';

export interface ResultRow {
  stack: string;
  owner: string;
  command: RunCommand;
  result: 'ok' | 'failed' | 'absent' | 'expired' | 'kept' | 'unlisted';
  detail: string;
  /** For what a re-run of destroy could no longer find: the one command that removes it. */
  remove?: string;
}

export interface RunDependencies {
  workspace: ClassWorkspace;
  cleanup: SoftDeleteCleanup;
  /** Progress per stack; never given secrets (outputs are read without them). */
  progress: ClassProgress;
  today: string;
  /** At most this many students' stacks run at once. */
  parallel: number;
}

/** The class stack's name and program (see classStack.ts); `up` reads the plan ids it outputs. */
export interface ClassStackTask {
  name: string;
  program: () => Promise<Record<string, unknown>>;
  /** Keep the emptied stack record after `destroy` (as `--keep-stacks` does for the students'). */
  keepStack: boolean;
}

const summary = (changes: Record<string, number>): string =>
  Object.entries(changes)
    .filter(([, n]) => n > 0)
    .map(([kind, n]) => `${kind} ${n}`)
    .join(', ') || 'no changes';

const firstLine = (err: unknown): string =>
  ((err as Error).message ?? String(err)).split('\n').find((l) => l.trim() !== '')?.slice(0, 200) ?? 'failed';

async function destroyLeftovers(task: StackTask, deps: RunDependencies, phase: 'before' | 'after', outputs: Record<string, unknown>) {
  const target = softDeletableOf(outputs);
  if (!target) return;
  if (phase === 'before') {
    deps.progress.note(`${task.stackName}: permanently deleting ML workspace ${target.mlWorkspace} and Log Analytics ${target.logAnalytics}`);
    await deps.cleanup.deleteMlWorkspacePermanently(target.subscriptionId, target.resourceGroup, target.mlWorkspace);
    await deps.cleanup.deleteLogAnalyticsPermanently(target.subscriptionId, target.resourceGroup, target.logAnalytics);
  } else {
    deps.progress.note(`${task.stackName}: purging soft-deleted Key Vault ${target.keyVault}`);
    try {
      await deps.cleanup.purgeKeyVault(target.subscriptionId, target.location, target.keyVault);
    } catch (err) {
      // The stack is destroyed and its outputs with it: a re-run would not know the vault's name any more.
      return {
        detail: `destroyed, but Key Vault ${target.keyVault} stays soft-deleted (purge failed: ${firstLine(err)})`,
        remove: `az keyvault purge --subscription ${target.subscriptionId} -n ${target.keyVault} -l ${target.location}`,
      };
    }
  }
  return undefined;
}

async function runTask(task: StackTask, command: RunCommand, deps: RunDependencies, existing: Set<string>): Promise<ResultRow> {
  const row = { stack: task.stackName, owner: task.student.id, command };
  if (!task.create && !existing.has(task.stackName)) return { ...row, result: 'absent', detail: 'no such stack' };
  const stack = await deps.workspace.selectStack(task.stackName, task.create);
  const details: string[] = [];
  let outputs: Record<string, unknown> = {};
  let leftover: { detail: string; remove: string } | undefined;
  for (const action of task.actions) {
    deps.progress.step(task.stackName, action);
    switch (action) {
      case 'configure':
        await stack.setConfig(task.config);
        break;
      case 'preview':
        details.push(summary(await stack.preview()));
        break;
      case 'up':
        details.push(summary(await stack.up()));
        outputs = await stack.outputs();
        if (typeof outputs.appUrl === 'string') details.push(outputs.appUrl);
        break;
      case 'purgeWorkspaces':
        outputs = await stack.outputs();
        await destroyLeftovers(task, deps, 'before', outputs);
        break;
      case 'refresh':
        await stack.refresh();
        break;
      case 'destroy':
        await stack.destroy();
        details.push('destroyed');
        break;
      case 'purgeKeyVault':
        leftover = await destroyLeftovers(task, deps, 'after', outputs);
        if (!leftover) details.push('soft-deleted names released');
        break;
      case 'removeStack':
        await deps.workspace.removeStack(task.stackName);
        details.push('stack removed');
        break;
      case 'status': {
        outputs = await stack.outputs();
        const expired = task.student.expiresOn < deps.today;
        const url = typeof outputs.appUrl === 'string' ? outputs.appUrl : 'not deployed';
        return { ...row, result: expired ? 'expired' : 'ok', detail: `${url}; plan ${task.plan.name} (${task.plan.region}); expires ${task.student.expiresOn}` };
      }
    }
  }
  if (leftover) return { ...row, result: 'failed', ...leftover };
  return { ...row, result: 'ok', detail: details.join('; ') };
}

/**
 * Runs the students' stacks, at most `deps.parallel` at once (each is its own `pulumi` process, mostly waiting on
 * Azure); one student's failure is reported in their row and the class goes on. Rows come back in roster order.
 */
export async function runStudents(command: RunCommand, tasks: StackTask[], deps: RunDependencies): Promise<ResultRow[]> {
  const existing = new Set(await deps.workspace.listStacks());
  const limit = pLimit(deps.parallel);
  deps.progress.begin(tasks.length);
  return Promise.all(
    tasks.map((task) =>
      limit(async (): Promise<ResultRow> => {
        deps.progress.start(task.stackName, task.actions.length);
        let row: ResultRow;
        try {
          row = await runTask(task, command, deps, existing);
        } catch (err) {
          row = { stack: task.stackName, owner: task.student.id, command, result: 'failed', detail: firstLine(err) };
        }
        deps.progress.done(task.stackName, `${row.result}: ${row.detail}`);
        return row;
      }),
    ),
  );
}

/** Points each student at the plan the class stack actually created; a different id means another subscription. */
function usePlanIds(tasks: StackTask[], planIds: Record<string, unknown>): void {
  for (const task of tasks) {
    const id = planIds[task.plan.key];
    const expected = task.config[configKey('appServicePlanId')];
    if (typeof id !== 'string') throw new Error(`the class stack has no plan ${task.plan.key}; run up again`);
    if (id.toLowerCase() !== expected.toLowerCase()) {
      const subscription = (planId: string) => planId.split('/')[2];
      throw new Error(`the class plans are in subscription ${subscription(id)}, not ${subscription(expected)}: --subscription does not match the signed-in subscription`);
    }
    task.config[configKey('appServicePlanId')] = id;
  }
}

/** Points each student's workspace at the class pool (`wandcloud:classPool`), so their training reads everyone's recordings. */
function usePool(tasks: StackTask[], outputs: Record<string, unknown>): void {
  if (typeof outputs.poolAccountName !== 'string' || typeof outputs.poolContainer !== 'string') return;
  for (const task of tasks) task.config[configKey('classPool')] = `${outputs.poolAccountName}/${outputs.poolContainer}`;
}

/** The class stack's plans and pool, as its outputs name them. */
function classSummary(outputs: Record<string, unknown>): string {
  const plans = Object.keys((outputs.planIds ?? {}) as Record<string, unknown>).join(', ') || 'none';
  const pool = typeof outputs.poolAccountName === 'string' ? `${outputs.poolAccountName}/${String(outputs.poolContainer)}` : 'none';
  return `plans: ${plans}; pool: ${pool}`;
}

async function classRow(command: RunCommand, name: string, work: () => Promise<string>): Promise<ResultRow> {
  try {
    return { stack: name, owner: '(class)', command, result: 'ok', detail: await work() };
  } catch (err) {
    return { stack: name, owner: '(class)', command, result: 'failed', detail: firstLine(err) };
  }
}

/**
 * The whole class: the class stack (the shared plans) first for `up`, `preview` and `status`, and last for
 * `destroy`, only once every student's stack is gone (a plan that still holds an app cannot be deleted).
 */
export async function runClass(command: RunCommand, classTask: ClassStackTask, tasks: StackTask[], deps: RunDependencies): Promise<ResultRow[]> {
  const openClass = (create: boolean) => deps.workspace.classStack(classTask.name, classTask.program, create);
  const absent: ResultRow = { stack: classTask.name, owner: '(class)', command, result: 'absent', detail: 'no such stack' };

  if (command === 'destroy') {
    const rows = await runStudents(command, tasks, deps);
    // A stack whose destroy failed may still have an app on a plan; a vault left soft-deleted blocks nothing.
    const blocking = rows.filter((r) => r.result === 'failed' && !r.remove);
    if (blocking.length > 0) {
      return [...rows, { stack: classTask.name, owner: '(class)', command, result: 'kept', detail: `kept: its plans still hold ${blocking.length} student app(s)` }];
    }
    const stack = await openClass(false);
    if (!stack) return [...rows, absent];
    const last = await classRow(command, classTask.name, async () => {
      await stack.destroy();
      if (classTask.keepStack) return 'plans, pool and resource group destroyed';
      await stack.remove();
      return 'plans, pool and resource group destroyed; stack removed';
    });
    return [...rows, last];
  }

  const stack = await openClass(command !== 'status');
  if (!stack) return [absent, ...(await runStudents(command, tasks, deps)), ...(await unlisted(command, tasks, deps))];
  const first = await classRow(command, classTask.name, async () => {
    if (command === 'preview') return summary(await stack.preview());
    if (command === 'status') return classSummary(await stack.outputs());
    const changes = summary(await stack.up());
    const outputs = await stack.outputs();
    usePlanIds(tasks, (outputs.planIds ?? {}) as Record<string, unknown>);
    usePool(tasks, outputs);
    return `${changes}; ${classSummary(outputs)}`;
  });
  if (command === 'up' && first.result === 'failed') return [first];
  return [first, ...(await runStudents(command, tasks, deps)), ...(await unlisted(command, tasks, deps))];
}

/** For `status`: stacks of the project that no roster row names, e.g. a student dropped from the roster, still billing. */
async function unlisted(command: RunCommand, tasks: StackTask[], deps: RunDependencies): Promise<ResultRow[]> {
  if (command !== 'status') return [];
  const listed = new Set(tasks.map((t) => t.stackName));
  return (await deps.workspace.listStacks())
    .filter((name) => !listed.has(name))
    .map((name) => ({ stack: name, owner: '?', command, result: 'unlisted', detail: 'not in the roster (a dropped student?): put its row back and run destroy' }));
}

export function formatTable(rows: ResultRow[]): string {
  const header: ResultRow = { stack: 'STACK', owner: 'OWNER', command: 'COMMAND' as RunCommand, result: 'RESULT' as ResultRow['result'], detail: 'DETAIL' };
  const all = [header, ...rows];
  const columns = ['stack', 'owner', 'command', 'result', 'detail'] as const;
  const widths = columns.map((c) => Math.max(...all.map((r) => r[c].length)));
  return all.map((r) => columns.map((c, i) => (i === columns.length - 1 ? r[c] : r[c].padEnd(widths[i]))).join('  ')).join('\n');
}

/**
 * After `destroy`: what is still there, and the one command that removes it. Teardown is safe to re-run, so that is
 * the same destroy again, except for what a re-run could no longer see (a soft-deleted vault of a destroyed stack).
 */
export function leftovers(rows: ResultRow[], rerun: string): string {
  const left = rows.filter((r) => r.result === 'failed' || r.result === 'kept');
  if (left.length === 0) return 'nothing left in Azure: the students\' stacks, the class plans and pool, and their soft-deleted names are gone';
  const again = left.filter((r) => !r.remove);
  return [
    'left:',
    ...(again.length > 0 ? [`  ${again.map((r) => r.stack).join(', ')}: ${rerun}`] : []),
    ...left.flatMap((r) => (r.remove ? [`  ${r.stack}: ${r.remove}`] : [])),
  ].join('\n');
}
