import { softDeletableOf } from '../teardown/softDeleted';
import type { ClassCommand, StackTask } from './plan';
import type { ClassWorkspace, SoftDeleteCleanup } from './workspace';

export interface ResultRow {
  stack: string;
  owner: string;
  command: ClassCommand;
  result: 'ok' | 'failed' | 'absent' | 'expired';
  detail: string;
}

export interface RunDependencies {
  workspace: ClassWorkspace;
  cleanup: SoftDeleteCleanup;
  /** Progress lines; never given secrets (outputs are read without them). */
  log: (line: string) => void;
  today: string;
}

const summary = (changes: Record<string, number>): string =>
  Object.entries(changes)
    .filter(([, n]) => n > 0)
    .map(([kind, n]) => `${kind} ${n}`)
    .join(', ') || 'no changes';

async function destroyLeftovers(task: StackTask, deps: RunDependencies, phase: 'before' | 'after', outputs: Record<string, unknown>) {
  const target = softDeletableOf(outputs);
  if (!target) return;
  if (phase === 'before') {
    deps.log(`${task.stackName}: permanently deleting ML workspace ${target.mlWorkspace} and Log Analytics ${target.logAnalytics}`);
    await deps.cleanup.deleteMlWorkspacePermanently(target.subscriptionId, target.resourceGroup, target.mlWorkspace);
    await deps.cleanup.deleteLogAnalyticsPermanently(target.subscriptionId, target.resourceGroup, target.logAnalytics);
  } else {
    deps.log(`${task.stackName}: purging soft-deleted Key Vault ${target.keyVault}`);
    await deps.cleanup.purgeKeyVault(target.subscriptionId, target.location, target.keyVault);
  }
}

async function runTask(task: StackTask, command: ClassCommand, deps: RunDependencies, existing: Set<string>): Promise<ResultRow> {
  const row = { stack: task.stackName, owner: task.student.owner, command };
  if (!task.create && !existing.has(task.stackName)) return { ...row, result: 'absent', detail: 'no such stack' };
  const stack = await deps.workspace.selectStack(task.stackName, task.create);
  const details: string[] = [];
  let outputs: Record<string, unknown> = {};
  for (const action of task.actions) {
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
        await destroyLeftovers(task, deps, 'after', outputs);
        details.push('soft-deleted names released');
        break;
      case 'removeStack':
        await deps.workspace.removeStack(task.stackName);
        details.push('stack removed');
        break;
      case 'status': {
        outputs = await stack.outputs();
        const expired = task.student.expiresOn < deps.today;
        const url = typeof outputs.appUrl === 'string' ? outputs.appUrl : 'not deployed';
        return { ...row, result: expired ? 'expired' : 'ok', detail: `${url}; expires ${task.student.expiresOn}` };
      }
    }
  }
  return { ...row, result: 'ok', detail: details.join('; ') };
}

/** Runs the tasks one stack at a time; one student's failure is reported and the class goes on. */
export async function runClass(command: ClassCommand, tasks: StackTask[], deps: RunDependencies): Promise<ResultRow[]> {
  const existing = new Set(await deps.workspace.listStacks());
  const rows: ResultRow[] = [];
  for (const task of tasks) {
    deps.log(`${task.stackName}: ${command}`);
    try {
      rows.push(await runTask(task, command, deps, existing));
    } catch (err) {
      const message = (err as Error).message.split('\n').find((l) => l.trim() !== '') ?? 'failed';
      rows.push({ stack: task.stackName, owner: task.student.owner, command, result: 'failed', detail: message.slice(0, 200) });
    }
  }
  return rows;
}

export function formatTable(rows: ResultRow[]): string {
  const header: ResultRow = { stack: 'STACK', owner: 'OWNER', command: 'COMMAND' as ClassCommand, result: 'RESULT' as ResultRow['result'], detail: 'DETAIL' };
  const all = [header, ...rows];
  const columns: (keyof ResultRow)[] = ['stack', 'owner', 'command', 'result', 'detail'];
  const widths = columns.map((c) => Math.max(...all.map((r) => r[c].length)));
  return all.map((r) => columns.map((c, i) => (i === columns.length - 1 ? r[c] : r[c].padEnd(widths[i]))).join('  ')).join('\n');
}
