import { configKey, StackConfigFields } from '../config/schema';
import { classStackName, planResourceId } from './classNames';
import type { Placement } from './placement';
import type { RosterRow } from './roster';

export const CLASS_COMMANDS = ['plan', 'up', 'preview', 'destroy', 'status'] as const;
export type ClassCommand = (typeof CLASS_COMMANDS)[number];
export type RunCommand = Exclude<ClassCommand, 'plan'>;

/**
 * What to do to one stack, in order. Destroy hard-deletes the soft-deletable resources first (an ML
 * workspace or Log Analytics workspace can only be purged when it is deleted), refreshes so Pulumi
 * forgets them, destroys the rest, then purges the soft-deleted Key Vault, so next term's
 * `pulumi up` can reuse every name.
 */
export type Action = 'configure' | 'preview' | 'up' | 'purgeWorkspaces' | 'refresh' | 'destroy' | 'purgeKeyVault' | 'removeStack' | 'status';

export interface StackTask {
  student: RosterRow;
  stackName: string;
  /** Key of the plan (in the class stack) the student's app lands on, and its region. */
  plan: { key: string; name: string; region: string };
  /** Full config keys and values for this student's stack, sorted by key. */
  config: Record<string, string>;
  /** Whether the stack may be created (only `up` and `preview` create stacks). */
  create: boolean;
  actions: Action[];
}

export interface PlanOptions {
  course: string;
  /** Prepended to each student id to name the stack, e.g. `lab5-` gives stack `lab5-jdoe42`. */
  stackPrefix?: string;
  /** Values every stack of the class shares, e.g. `wandcloud:computeInstance=false`. */
  sharedConfig?: Record<string, string>;
  /** Keep the (empty) stacks after `destroy`; by default they are removed with their state. */
  keepStacks?: boolean;
  /** The subscription the plans live in; `plan` without one prints ids with SUBSCRIPTION_PLACEHOLDER. */
  subscriptionId?: string;
}

export const SUBSCRIPTION_PLACEHOLDER = '<subscription-id>';

/** Keys the class tool sets per student from the roster and the placement; `--config` may not override them. */
export const PER_STUDENT_KEYS = ['owner', 'studentObjectId', 'githubRepo', 'expiresOn', 'course', 'appServicePlanId', 'location', 'classPool'].map(configKey);

const ACTIONS: Record<RunCommand, (o: PlanOptions) => Action[]> = {
  up: () => ['configure', 'up'],
  preview: () => ['configure', 'preview'],
  status: () => ['status'],
  destroy: (o) => ['purgeWorkspaces', 'refresh', 'destroy', 'purgeKeyVault', ...(o.keepStacks ? [] : (['removeStack'] as Action[]))],
};

export class ClassConfigError extends Error {
  override readonly name = 'ClassConfigError';
}

/** Checks `--config` values with the stack's own field rules, so a bad one stops before the first stack runs. */
function checkSharedConfig(shared: Record<string, string>): void {
  const problems: string[] = [];
  const fields = StackConfigFields.shape as Record<string, (typeof StackConfigFields.shape)[keyof typeof StackConfigFields.shape]>;
  for (const [key, value] of Object.entries(shared)) {
    if (PER_STUDENT_KEYS.includes(key)) {
      problems.push(`--config ${key}: set per student by the class tool (roster and plan placement)`);
      continue;
    }
    const field = Object.keys(fields).find((f) => configKey(f) === key);
    if (!field) {
      problems.push(`--config ${key}: not a key the stack reads`);
      continue;
    }
    const parsed = fields[field].safeParse(value);
    if (!parsed.success) problems.push(`--config ${key}: ${parsed.error.issues[0].message}`);
  }
  if (problems.length > 0) throw new ClassConfigError(problems.join('\n'));
}

/** Every student's stack with its full config and plan, in roster order; no cloud call. */
export function planClass(command: RunCommand | 'plan', roster: RosterRow[], placement: Placement, options: PlanOptions): StackTask[] {
  const shared = options.sharedConfig ?? {};
  checkSharedConfig(shared);
  const planOf = new Map(placement.plans.flatMap((plan) => plan.students.map((id) => [id, plan] as const)));
  return roster.map((student) => {
    const plan = planOf.get(student.id);
    if (!plan) throw new Error(`student ${student.id} has no plan in the placement`);
    const config: Record<string, string> = {
      ...shared,
      [configKey('owner')]: student.id,
      [configKey('studentObjectId')]: student.objectId,
      [configKey('githubRepo')]: student.githubRepo,
      [configKey('expiresOn')]: student.expiresOn,
      [configKey('course')]: options.course,
      [configKey('location')]: plan.region,
      [configKey('appServicePlanId')]: planResourceId(options.subscriptionId ?? SUBSCRIPTION_PLACEHOLDER, options.course, plan),
    };
    return {
      student,
      stackName: `${options.stackPrefix ?? ''}${student.id}`,
      plan: { key: plan.key, name: plan.name, region: plan.region },
      config: Object.fromEntries(Object.entries(config).sort(([a], [b]) => a.localeCompare(b))),
      create: command === 'up' || command === 'preview',
      actions: command === 'plan' ? [] : ACTIONS[command](options),
    };
  });
}

/** What `plan --json` prints: the class stack with its plans, then every student's stack. Stable for a given input. */
export function planDocument(placement: Placement, tasks: StackTask[], options: PlanOptions) {
  return {
    classStack: classStackName(options.course),
    subscriptionId: options.subscriptionId ?? null,
    mode: placement.mode,
    usdPerDay: placement.usdPerDay,
    plans: placement.plans.map((p) => ({
      key: p.key,
      name: p.name,
      region: p.region,
      sku: p.sku,
      id: planResourceId(options.subscriptionId ?? SUBSCRIPTION_PLACEHOLDER, options.course, p),
      apps: p.students.length,
      students: p.students,
    })),
    stacks: tasks.map((t) => ({ stack: t.stackName, student: t.student.id, plan: t.plan.name, region: t.plan.region, config: t.config })),
  };
}
