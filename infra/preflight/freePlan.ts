import type { AppServicePlan, WebSiteManagementClient } from '@azure/arm-appservice';
import { collect, describeFailure, tryArm } from './armError';
import { finding, normalizeRegion, type Finding } from './findings';
import { ownedBy, type StackIdentity } from './ownership';

/** An F1 plan holds at most 10 apps (App Service limits, Free tier). */
export const FREE_PLAN_MAX_APPS = 10;

export interface FreePlanContext {
  location: string;
  regionDisplayName?: string;
  /** `wandcloud:appServicePlanId`, when the stack joins an existing plan. */
  appServicePlanId?: string;
  /** This stack's tags: its own plan, already deployed, is no obstacle. */
  stackIdentity?: StackIdentity;
  /** Regions the policy allows, to suggest one without a free Linux plan. */
  allowedRegions?: string[];
}

const isFree = (p: AppServicePlan) => p.sku?.tier?.toLowerCase() === 'free' || p.sku?.name?.toUpperCase() === 'F1';
/** Linux plans are `reserved`; `kind` says `linux` too (list responses may carry only one of them). */
const isLinux = (p: AppServicePlan) => p.reserved === true || (p.kind ?? '').toLowerCase().includes('linux');
const inRegion = (p: AppServicePlan, regions: Set<string>) => regions.has(normalizeRegion(p.location ?? ''));

const usePlan = (id: string) => `pulumi config set wandcloud:appServicePlanId ${id}`;

/**
 * A subscription gets one free Linux plan per region ("reached the limit of 1 Free Linux app service plan(s)"):
 * a stack that would create one where one exists must join it (`wandcloud:appServicePlanId`) or go elsewhere.
 * A stack that joins a plan needs it in its own region, on Linux, with room for one more app.
 */
export async function freePlanFinding(web: WebSiteManagementClient, ctx: FreePlanContext): Promise<Finding> {
  // `detailed`: the short form may leave out `numberOfSites`, which says whether a plan has room for one more app.
  const listed = await tryArm(() => collect(web.appServicePlans.list({ detailed: true })));
  if (!listed.ok) {
    return finding('freePlan', 'unchecked', `could not list App Service plans (${describeFailure(listed.failure)}): check for a free Linux plan in ${ctx.location} by hand`, [
      'az appservice plan list --query "[?sku.tier==\'Free\' && reserved].{id:id, location:location}" -o table',
    ]);
  }
  const plans = listed.value;
  const here = new Set([normalizeRegion(ctx.location), ...(ctx.regionDisplayName ? [normalizeRegion(ctx.regionDisplayName)] : [])]);
  if (ctx.appServicePlanId) return joinedPlanFinding(web, plans, ctx, here);

  const freeLinux = plans.filter((p) => isFree(p) && isLinux(p));
  const existing = freeLinux.find((p) => inRegion(p, here));
  if (!existing) return finding('freePlan', 'ok', `no free Linux plan in ${ctx.location} yet: the stack can create its own`);
  if (ownedBy(existing.tags, ctx.stackIdentity)) {
    return finding('freePlan', 'ok', `the free Linux plan in ${ctx.location} is this stack's own (${existing.name})`, [], { planId: existing.id });
  }
  const taken = new Set(freeLinux.map((p) => normalizeRegion(p.location ?? '')));
  const elsewhere = (ctx.allowedRegions ?? []).filter((r) => !taken.has(normalizeRegion(r)));
  const apps = existing.numberOfSites ?? 0;
  const fix = [
    ...(apps < FREE_PLAN_MAX_APPS ? [`${usePlan(existing.id ?? '')}   (joining needs Website Contributor on it)`] : []),
    ...(elsewhere.length > 0 ? [`pulumi config set azure-native:location ${elsewhere[0]}   (allowed, no free Linux plan yet: ${elsewhere.join(', ')})`] : []),
    ...(ctx.allowedRegions === undefined ? ['pulumi config set azure-native:location <a region with no free Linux plan>'] : []),
  ];
  return finding(
    'freePlan',
    'blocker',
    `the subscription already has a free Linux plan in ${ctx.location} (${existing.name}, ${apps} of ${FREE_PLAN_MAX_APPS} apps): a second one is refused`,
    fix,
    { planId: existing.id, apps, regionsWithoutFreePlan: elsewhere },
  );
}

/** Whether the stack's own app already runs on the plan (a re-run of `pulumi up`): it needs no new place there. */
async function holdsOwnApp(web: WebSiteManagementClient, plan: AppServicePlan, stack: StackIdentity | undefined): Promise<boolean> {
  const resourceGroup = /\/resourceGroups\/([^/]+)\//i.exec(plan.id ?? '')?.[1];
  if (!stack || !resourceGroup || !plan.name) return false;
  const apps = await tryArm(() => collect(web.appServicePlans.listWebApps(resourceGroup, plan.name!)));
  return apps.ok && apps.value.some((app) => ownedBy(app.tags, stack));
}

async function joinedPlanFinding(web: WebSiteManagementClient, plans: AppServicePlan[], ctx: FreePlanContext, here: Set<string>): Promise<Finding> {
  const planId = ctx.appServicePlanId ?? '';
  const location = ctx.location;
  const plan = plans.find((p) => p.id?.toLowerCase() === planId.toLowerCase());
  const key = 'wandcloud:appServicePlanId';
  if (!plan) {
    return finding('freePlan', 'blocker', `${key} names a plan this sign-in cannot see in the subscription`, [
      'az appservice plan list --query "[].id" -o tsv   (check the id, or ask for Reader/Website Contributor on it)',
    ], { planId });
  }
  const problems = [
    ...(!inRegion(plan, here) ? [`it is in ${plan.location}, the stack's app in ${location} (an app must be in its plan's region)`] : []),
    ...(!isLinux(plan) ? ['it is a Windows plan (the service runs on Linux)'] : []),
    ...(isFree(plan) && (plan.numberOfSites ?? 0) >= FREE_PLAN_MAX_APPS && !(await holdsOwnApp(web, plan, ctx.stackIdentity))
      ? [`it already holds ${plan.numberOfSites} apps, the F1 maximum`]
      : []),
  ];
  if (problems.length > 0) {
    return finding('freePlan', 'blocker', `${key} ${plan.name}: ${problems.join('; ')}`, [
      `pulumi config set azure-native:location ${normalizeRegion(plan.location ?? '')}`,
      'or another plan: pulumi config set wandcloud:appServicePlanId <id>',
    ], { planId: plan.id, apps: plan.numberOfSites });
  }
  return finding('freePlan', 'ok', `the stack joins ${plan.name} (${plan.sku?.name ?? '?'}, ${plan.numberOfSites ?? 0} apps) in ${location}`, [], { planId: plan.id });
}
