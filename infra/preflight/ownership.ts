import type { ResourceManagementClient } from '@azure/arm-resources';
import { collect, tryArm } from './armError';

/**
 * The tags that make a resource this stack's own (`tags.ts`): the owner and `managedBy` (which names the stack).
 * Both are compared: in a class sharing a subscription every student's stack may be called `dev`.
 */
export interface StackIdentity {
  owner: string;
  managedBy: string;
}

export const ownedBy = (tags: Record<string, string> | undefined, stack: StackIdentity | undefined): boolean =>
  stack !== undefined && tags?.owner === stack.owner && tags?.managedBy === stack.managedBy;

/**
 * Ids of the stack's ML workspaces, when it is already deployed: their compute already holds quota that a re-run
 * of `pulumi up` does not need again. A failed read just means no credit.
 */
export async function stackWorkspaceIds(resources: ResourceManagementClient, stack: StackIdentity | undefined): Promise<string[]> {
  if (!stack) return [];
  const listed = await tryArm(() => collect(resources.resources.list({ filter: "resourceType eq 'Microsoft.MachineLearningServices/workspaces'" })));
  return listed.ok ? listed.value.filter((r) => ownedBy(r.tags, stack)).map((r) => r.id ?? '') : [];
}
