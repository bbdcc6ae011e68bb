import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { runCli } from './run';
import { azureSoftDeleteCleanup } from '../../../infra/class/azureCleanup';
import { stackNames } from '../../../infra/naming';

/**
 * The stack's names that Azure keeps after deletion (soft delete), cleared so a later `pulumi up` can
 * reuse them. `before` pulumi destroy: delete the ML workspace and Log Analytics workspace permanently
 * (their purge flags work only on a delete); `after`: purge the soft-deleted Key Vault. The names come
 * from the infra program's own naming rules; an already-absent resource counts as done.
 */
async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      phase: { type: 'string' },
      outputs: { type: 'string' },
      owner: { type: 'string' },
      stack: { type: 'string' },
      location: { type: 'string', default: 'westus2' },
    },
  });
  const { phase, owner, stack, location } = values;
  if ((phase !== 'before' && phase !== 'after') || !values.outputs || !owner || !stack) {
    console.error('usage: tsx delivery/src/cli/soft-delete.ts --phase before|after --outputs <stack outputs json> --owner <id> --stack <name> [--location westus2]');
    return 2;
  }
  const outputs = JSON.parse(readFileSync(values.outputs, 'utf8')) as Record<string, unknown>;
  const subscription = outputs.githubSubscriptionId;
  const group = outputs.resourceGroupName;
  if (typeof subscription !== 'string' || typeof group !== 'string') {
    console.log('the stack has no outputs (never deployed, or already destroyed): nothing to purge');
    return 0;
  }
  const names = stackNames(owner, stack.split('/').pop() ?? stack);
  const cleanup = azureSoftDeleteCleanup();
  if (phase === 'before') {
    console.log(`permanently deleting ML workspace ${names.mlWorkspace} and Log Analytics workspace ${names.logAnalytics}`);
    await cleanup.deleteMlWorkspacePermanently(subscription, group, names.mlWorkspace);
    await cleanup.deleteLogAnalyticsPermanently(subscription, group, names.logAnalytics);
  } else {
    console.log(`purging soft-deleted Key Vault ${names.keyVault} in ${location}`);
    await cleanup.purgeKeyVault(subscription, location, names.keyVault);
  }
  return 0;
}

runCli('soft-delete', main);
