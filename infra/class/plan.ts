import type { RosterRow } from './roster';

export const CLASS_COMMANDS = ['up', 'preview', 'destroy', 'status'] as const;
export type ClassCommand = (typeof CLASS_COMMANDS)[number];

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
  /** Full config keys and values for this student's stack. */
  config: Record<string, string>;
  /** Whether the stack may be created (only `up` and `preview` create stacks). */
  create: boolean;
  actions: Action[];
}

export interface PlanOptions {
  /** Prepended to each owner id to name the stack, e.g. `lab5-` gives stack `lab5-jdoe42`. */
  stackPrefix?: string;
  /** Values every stack of the class shares, e.g. `wandcloud:appServicePlanId`, `azure-native:location`. */
  sharedConfig?: Record<string, string>;
  /** Keep the (empty) stacks after `destroy`; by default they are removed with their state. */
  keepStacks?: boolean;
}

const ACTIONS: Record<ClassCommand, (o: PlanOptions) => Action[]> = {
  up: () => ['configure', 'up'],
  preview: () => ['configure', 'preview'],
  status: () => ['status'],
  destroy: (o) => ['purgeWorkspaces', 'refresh', 'destroy', 'purgeKeyVault', ...(o.keepStacks ? [] : (['removeStack'] as Action[]))],
};

export function planClass(command: ClassCommand, roster: RosterRow[], options: PlanOptions = {}): StackTask[] {
  return roster.map((student) => ({
    student,
    stackName: `${options.stackPrefix ?? ''}${student.owner}`,
    config: {
      ...options.sharedConfig,
      'wandcloud:owner': student.owner,
      'wandcloud:expiresOn': student.expiresOn,
      'wandcloud:githubRepo': student.githubRepo,
    },
    create: command === 'up' || command === 'preview',
    actions: ACTIONS[command](options),
  }));
}
