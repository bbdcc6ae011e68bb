import type { Location, Subscription, SubscriptionClient } from '@azure/arm-resources-subscriptions';
import { collect, describeFailure, tryArm } from './armError';
import { finding, type Finding } from './findings';

/** A problem that stops the preflight before any check (exit 2): no usable subscription for this sign-in. */
export class PreflightUsageError extends Error {
  override readonly name = 'PreflightUsageError';
}

/**
 * The subscription to check: the one asked for, or the only one this sign-in can use. Pulumi's own default (the
 * `az account show` subscription) is not readable without the Azure CLI, so with several the user must say which.
 */
export async function resolveSubscription(client: SubscriptionClient, requested?: string): Promise<Subscription> {
  if (requested) {
    const got = await tryArm(() => client.subscriptions.get(requested));
    if (!got.ok) {
      throw new PreflightUsageError(`subscription ${requested} is not readable with this sign-in (${describeFailure(got.failure)}): check the id, or az login with the right account`);
    }
    return got.value;
  }
  const listed = await tryArm(() => collect(client.subscriptions.list()));
  if (!listed.ok) throw new PreflightUsageError(`could not list subscriptions (${describeFailure(listed.failure)})`);
  const usable = listed.value.filter((s) => s.state !== 'Disabled' && s.state !== 'Deleted');
  if (usable.length === 1) return usable[0];
  if (usable.length === 0) throw new PreflightUsageError('this sign-in has no enabled subscription: az login with the account that holds Azure for Students');
  const list = usable.map((s) => `${s.subscriptionId} (${s.displayName})`).join(', ');
  throw new PreflightUsageError(`this sign-in has ${usable.length} subscriptions: pass --subscription <id> or set ARM_SUBSCRIPTION_ID (${list})`);
}

export const isStudentOffer = (s: Subscription): boolean => /^AzureForStudents/i.test(s.subscriptionPolicies?.quotaId ?? '');

/** Disabled, past due or warned subscriptions accept no new resources (an Azure for Students credit that ran out). */
export function subscriptionFinding(s: Subscription): Finding {
  const name = `${s.displayName ?? 'subscription'} (${s.subscriptionId})`;
  const offer = s.subscriptionPolicies?.quotaId ? `, offer ${s.subscriptionPolicies.quotaId}` : '';
  if (s.state === 'Enabled') return finding('subscription', 'ok', `${name} is Enabled${offer}`, [], { subscriptionId: s.subscriptionId, quotaId: s.subscriptionPolicies?.quotaId });
  return finding(
    'subscription',
    'blocker',
    `${name} is ${s.state ?? 'in an unknown state'}${offer}: it accepts no new resources (pulumi up would fail with ReadOnlyDisabledSubscription)`,
    ['check the credit and state in the portal (Subscriptions), renew Azure for Students or upgrade to pay-as-you-go'],
    { subscriptionId: s.subscriptionId, state: s.state },
  );
}

/** The subscription's regions by name, with display names ("West US 2") for matching plans and provider locations. */
export async function subscriptionRegions(client: SubscriptionClient, subscriptionId: string): Promise<Location[] | undefined> {
  const listed = await tryArm(() => collect(client.subscriptions.listLocations(subscriptionId)));
  return listed.ok ? listed.value.filter((l) => l.metadata?.regionType !== 'Logical') : undefined;
}
