import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { runCli } from './run';
import { azureSoftDeleteCleanup } from '../../../infra/class/azureCleanup';
import { softDeletableOf } from '../../../infra/teardown/softDeleted';

/**
 * The stack's names that Azure keeps after deletion (soft delete), cleared so a later `pulumi up` can
 * reuse them. `before` pulumi destroy: delete the ML workspace and Log Analytics workspace permanently
 * (their purge flags work only on a delete); `after`: purge the soft-deleted Key Vault. The names come
 * from the stack's outputs; an already-absent resource counts as done.
 */
async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      phase: { type: 'string' },
      outputs: { type: 'string' },
    },
  });
  const { phase } = values;
  if ((phase !== 'before' && phase !== 'after') || !values.outputs) {
    console.error('usage: tsx delivery/src/cli/soft-delete.ts --phase before|after --outputs <stack outputs json>');
    return 2;
  }
  const target = softDeletableOf(JSON.parse(readFileSync(values.outputs, 'utf8')) as Record<string, unknown>);
  if (!target) {
    console.log('the stack has no outputs (never deployed, or already destroyed): nothing to purge');
    return 0;
  }
  const cleanup = azureSoftDeleteCleanup();
  if (phase === 'before') {
    console.log(`permanently deleting ML workspace ${target.mlWorkspace} and Log Analytics workspace ${target.logAnalytics}`);
    await cleanup.deleteMlWorkspacePermanently(target.subscriptionId, target.resourceGroup, target.mlWorkspace);
    await cleanup.deleteLogAnalyticsPermanently(target.subscriptionId, target.resourceGroup, target.logAnalytics);
  } else {
    console.log(`purging soft-deleted Key Vault ${target.keyVault} in ${target.location}`);
    await cleanup.purgeKeyVault(target.subscriptionId, target.location, target.keyVault);
  }
  return 0;
}

runCli('soft-delete', main);
