import { z } from 'zod';

/**
 * The resources of a stack that Azure keeps after deletion (soft delete), named as the stack's outputs name them.
 * Their global names carry a random suffix kept in the stack's state, so they cannot be derived from owner and
 * stack: the outputs are the only record.
 */
export interface SoftDeletable {
  subscriptionId: string;
  resourceGroup: string;
  location: string;
  mlWorkspace: string;
  logAnalytics: string;
  keyVault: string;
}

const OutputsSchema = z.object({
  githubSubscriptionId: z.string().min(1),
  resourceGroupName: z.string().min(1),
  location: z.string().min(1),
  workspaceName: z.string().min(1),
  logAnalyticsName: z.string().min(1),
  keyVaultName: z.string().min(1),
});

/** What to purge around `pulumi destroy`; undefined for a stack without outputs (never deployed, or gone). */
export function softDeletableOf(outputs: Record<string, unknown>): SoftDeletable | undefined {
  if (Object.keys(outputs).length === 0) return undefined;
  const parsed = OutputsSchema.safeParse(outputs);
  if (!parsed.success) {
    const missing = parsed.error.issues.map((i) => i.path.join('.')).join(', ');
    throw new Error(`the stack's outputs do not name its soft-deletable resources (${missing}); run pulumi up once with this version, or purge them by hand`);
  }
  const o = parsed.data;
  return {
    subscriptionId: o.githubSubscriptionId,
    resourceGroup: o.resourceGroupName,
    location: o.location,
    mlWorkspace: o.workspaceName,
    logAnalytics: o.logAnalyticsName,
    keyVault: o.keyVaultName,
  };
}
