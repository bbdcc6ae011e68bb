import * as pulumi from '@pulumi/pulumi';
import * as consumption from '@pulumi/azure-native/consumption';

export interface ResourceGroupBudgetArgs {
  resourceGroupId: pulumi.Input<string>;
  budgetName: string;
  amount: number;
  contactEmails: string[];
  /** Budgets must start on the first of a month; the current month when the budget is created. */
  startDate: string;
  endDate: string;
}

export const ALERT_THRESHOLDS = [50, 80, 100] as const;

/** First day of `now`'s month, as Azure budgets want it (`2026-03-01T00:00:00Z`). */
export const monthStart = (now: Date): string =>
  `${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, '0')}-01T00:00:00Z`;

/**
 * A monthly cost budget on the student's resource group, e-mailing at 50, 80 and 100 % of actual cost.
 * Azure budgets only alert (cost data lags 12-16 hours) and may be unavailable on student subscriptions.
 */
export class ResourceGroupBudget extends pulumi.ComponentResource {
  readonly budgetName: pulumi.Output<string>;

  constructor(name: string, args: ResourceGroupBudgetArgs, opts?: pulumi.ComponentResourceOptions) {
    super('wandcloud:infra:ResourceGroupBudget', name, {}, opts);
    const notifications = Object.fromEntries(
      ALERT_THRESHOLDS.map((threshold) => [
        `actual-${threshold}-percent`,
        {
          enabled: true,
          operator: consumption.OperatorType.GreaterThanOrEqualTo,
          threshold,
          thresholdType: consumption.ThresholdType.Actual,
          contactEmails: args.contactEmails,
        },
      ]),
    );
    const budget = new consumption.Budget(
      `${name}-budget`,
      {
        scope: args.resourceGroupId,
        budgetName: args.budgetName,
        amount: args.amount,
        category: consumption.CategoryType.Cost,
        timeGrain: consumption.TimeGrainType.Monthly,
        timePeriod: { startDate: args.startDate, endDate: args.endDate },
        notifications,
      },
      // The start date is fixed at creation; a later month's run must not try to move it.
      { parent: this, ignoreChanges: ['timePeriod.startDate'] },
    );
    this.budgetName = budget.name;
    this.registerOutputs({ budgetName: this.budgetName });
  }
}
