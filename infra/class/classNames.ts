import type { PlannedPlan } from './placement';

/** Names of the class-level resources: plain functions, so planning loads no Pulumi provider. */
export const classStackName = (course: string): string => `class-${course}`;
export const classResourceGroupName = (course: string): string => `rg-wand-class-${course}`;

/** The resource id the plan gets: deterministic, so `plan` can print every student's config without a cloud call. */
export const planResourceId = (subscriptionId: string, course: string, plan: PlannedPlan): string =>
  `/subscriptions/${subscriptionId}/resourceGroups/${classResourceGroupName(course)}/providers/Microsoft.Web/serverfarms/${plan.name}`;
