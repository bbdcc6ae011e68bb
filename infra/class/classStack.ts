import * as pulumi from '@pulumi/pulumi';
import * as authorization from '@pulumi/azure-native/authorization';
import * as resources from '@pulumi/azure-native/resources';
import * as web from '@pulumi/azure-native/web';
import type * as inputs from '@pulumi/azure-native/types/input';
import { classResourceGroupName, classStackName } from './classNames';
import { ClassPool } from './classPool';
import type { Placement, PlannedPlan } from './placement';

/**
 * The class-level resources every student's stack shares: the App Service plans their apps land on and the pool
 * of shared recordings (each student writes under their own prefix), in one resource group of their own. A Pulumi program of its own (run inline by the Automation API as stack
 * `class-<course>`), so it is created before the students' stacks and destroyed after them.
 */
export interface ClassStackArgs {
  course: string;
  placement: Placement;
  /** The latest expiry of the roster: the class resources live as long as the last student's stack. */
  expiresOn: string;
  /** Who may read the pool and write under `<id>/`. */
  students: { id: string; objectId: string }[];
}

export interface ClassStackOutputs {
  resourceGroupName: pulumi.Output<string>;
  /** Plan key (PlannedPlan.key) to the plan's resource id, which each student's `wandcloud:appServicePlanId` takes. */
  planIds: pulumi.Output<Record<string, string>>;
  /** Where the class's shared recordings live (`npm run data:upload` / `data:download` against it). */
  poolAccountName: pulumi.Output<string>;
  poolContainer: pulumi.Output<string>;
}

const SKUS: Record<PlannedPlan['sku'], inputs.web.SkuDescriptionArgs> = {
  F1: { name: 'F1', tier: 'Free', size: 'F1', family: 'F', capacity: 1 },
  B1: { name: 'B1', tier: 'Basic', size: 'B1', family: 'B', capacity: 1 },
};

/** Declares the class stack; call it inside a Pulumi program (the Automation API's inline program, or mocks). */
export function defineClassStack(args: ClassStackArgs): ClassStackOutputs {
  const stack = classStackName(args.course);
  const tags = { owner: stack, course: args.course, expiresOn: args.expiresOn, managedBy: `pulumi:wandcloud-class/${stack}` };
  const group = new resources.ResourceGroup('class-group', {
    resourceGroupName: classResourceGroupName(args.course),
    location: args.placement.plans[0].region,
    tags,
  });
  const planIds: Record<string, pulumi.Output<string>> = {};
  for (const plan of args.placement.plans) {
    planIds[plan.key] = new web.AppServicePlan(plan.key, {
      resourceGroupName: group.name,
      name: plan.name,
      location: plan.region,
      // Linux is `kind: linux` with `reserved: true`; without `reserved` ARM creates a Windows plan.
      kind: 'linux',
      reserved: true,
      sku: SKUS[plan.sku],
      tags,
    }).id;
  }
  const pool = new ClassPool('pool', {
    course: args.course,
    resourceGroupName: group.name,
    location: args.placement.plans[0].region,
    subscriptionId: authorization.getClientConfigOutput().subscriptionId,
    students: args.students,
    tags,
  });
  return { resourceGroupName: group.name, planIds: pulumi.all(planIds), poolAccountName: pool.accountName, poolContainer: pool.containerName };
}
