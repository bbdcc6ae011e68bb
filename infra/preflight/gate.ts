import type { StackConfig } from '../config/schema';
import { stackTags } from '../tags';
import type { PreflightClients } from './clients';
import { formatReport } from './format';
import { runPreflight, type PreflightInputs } from './run';

/** A preflight blocker found by `pulumi up` itself: its message is the report, fixes included. */
export class PreflightBlocked extends Error {
  override readonly name = 'PreflightBlocked';
}

/** The preflight's inputs for a validated stack configuration, in the subscription the provider deploys to. */
export function stackPreflightInputs(cfg: StackConfig, subscriptionId: string): PreflightInputs {
  return {
    subscriptionId,
    location: cfg.location,
    computeInstance: cfg.computeInstance && cfg.studentObjectId !== undefined,
    computeVmSize: cfg.computeVmSize,
    appServicePlanId: cfg.appServicePlanId,
    githubIdentity: cfg.githubIdentity,
    budget: cfg.budgetAmount !== undefined,
    stackIdentity: { owner: cfg.owner, managedBy: stackTags(cfg).managedBy },
    stack: cfg.stack,
  };
}

/**
 * The preflight as the first step of `pulumi up` and `pulumi preview`: resolves when nothing blocks, and rejects with
 * the whole report otherwise, so the engine stops before the resource group (and with it everything) is created.
 */
export async function preflightGate(cfg: StackConfig, subscriptionId: string, clients: PreflightClients): Promise<void> {
  const report = await runPreflight(stackPreflightInputs(cfg, subscriptionId), clients);
  if (report.blockers > 0) throw new PreflightBlocked(`${formatReport(report)}\n(skip with: pulumi config set wandcloud:preflight false)`);
}
