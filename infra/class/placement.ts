import type { RosterRow } from './roster';

/** A free (F1) Linux plan holds at most 10 apps (Azure's limit); a subscription gets one such plan per region. */
export const MAX_APPS_PER_FREE_PLAN = 10;

/**
 * The Basic Linux plan a class may share instead of free plans, at its list price: USD 0.018 an hour (about 13.14 a
 * month of 730 h), pay-as-you-go, West US 2, from https://azure.microsoft.com/pricing/details/app-service/linux/
 * as listed in 2025 (not re-checked from this offline machine; other regions and currencies differ by a few percent).
 * 1.75 GB of memory: at most ~12 Node apps of ~140 MB, so apps-per-plan (default 10) applies to it too.
 */
export const BASIC_PLANS = {
  B1: { usdPerHour: 0.018, memoryGb: 1.75 },
} as const;
export type BasicSku = keyof typeof BASIC_PLANS;
export const BASIC_SKUS = Object.keys(BASIC_PLANS) as BasicSku[];

export class PlacementError extends Error {
  override readonly name = 'PlacementError';
}

/** One App Service plan of the class stack, and the students whose apps it holds. */
export interface PlannedPlan {
  /** Stable key of the plan in the class stack (its Pulumi resource name and output key). */
  key: string;
  /** Azure name of the plan, unique in the class resource group. */
  name: string;
  region: string;
  sku: 'F1' | BasicSku;
  /** Student ids, in roster order. */
  students: string[];
}

export interface Placement {
  mode: 'free' | 'shared';
  plans: PlannedPlan[];
  /** What the plans cost a day, list price (free plans cost nothing). */
  usdPerDay: number;
}

export interface PlacementOptions {
  course: string;
  /** Allowed regions, in order of preference (the subscription's allowed-regions policy decides which are possible). */
  regions: string[];
  /** At most this many apps per plan (10 Node apps of ~140 MB already strain a free plan's 1 GB). */
  appsPerPlan: number;
  /** Share Basic plans of this size in the first region instead of one free plan per region. */
  sharedPlan?: BasicSku;
}

/** Splits students into `count` groups of nearly equal size, in roster order, so no plan carries more than it must. */
function balanced(students: RosterRow[], count: number): RosterRow[][] {
  const groups: RosterRow[][] = [];
  let start = 0;
  for (let i = 0; i < count; i++) {
    const size = Math.ceil((students.length - start) / (count - i));
    groups.push(students.slice(start, start + size));
    start += size;
  }
  return groups;
}

/**
 * Decides which plan each student's app lands on, before anything is created. Free mode uses one F1 plan per
 * region, so a class larger than regions x apps-per-plan is refused with the way out; shared mode uses as many
 * Basic plans as apps-per-plan requires, all in the first region, and prices them.
 */
export function placeApps(students: RosterRow[], options: PlacementOptions): Placement {
  const { appsPerPlan, regions, course, sharedPlan } = options;
  if (!Number.isInteger(appsPerPlan) || appsPerPlan < 1 || appsPerPlan > MAX_APPS_PER_FREE_PLAN) {
    throw new PlacementError(`--apps-per-plan must be a whole number from 1 to ${MAX_APPS_PER_FREE_PLAN} (Azure's limit for a free plan)`);
  }
  if (regions.length === 0) throw new PlacementError('--regions needs at least one region');
  const duplicate = regions.find((r, i) => regions.indexOf(r) !== i);
  if (duplicate) throw new PlacementError(`--regions lists ${duplicate} twice: a subscription has only one free Linux plan per region`);
  const needed = Math.ceil(students.length / appsPerPlan);

  if (sharedPlan) {
    const groups = balanced(students, needed);
    const plans = groups.map((group, i): PlannedPlan => ({
      key: `shared-${i + 1}`,
      name: `plan-wand-${course}-${sharedPlan.toLowerCase()}-${i + 1}`,
      region: regions[0],
      sku: sharedPlan,
      students: group.map((s) => s.id),
    }));
    const usdPerDay = Math.round(plans.length * BASIC_PLANS[sharedPlan].usdPerHour * 24 * 100) / 100;
    return { mode: 'shared', plans, usdPerDay };
  }

  if (needed > regions.length) {
    throw new PlacementError(
      `${students.length} students need ${needed} free plans of at most ${appsPerPlan} apps, but a subscription has one free Linux plan per region ` +
        `and --regions gives ${regions.length} (${regions.join(',')}): add allowed regions, or share Basic plans (--shared-plan B1)`,
    );
  }
  const plans = balanced(students, needed).map((group, i): PlannedPlan => ({
    key: `free-${regions[i]}`,
    name: `plan-wand-${course}-${regions[i]}`,
    region: regions[i],
    sku: 'F1',
    students: group.map((s) => s.id),
  }));
  return { mode: 'free', plans, usdPerDay: 0 };
}

/** One line for the instructor, printed before anything is created. */
export function describePlacement(placement: Placement): string {
  const where = placement.plans.map((p) => `${p.name} (${p.sku}, ${p.region}): ${p.students.length} apps`).join('; ');
  if (placement.mode === 'free') return `free plans, one per region: ${where}; cost USD 0/day`;
  return `shared Basic plans: ${where}; cost about USD ${placement.usdPerDay.toFixed(2)}/day (list price, see BASIC_PLANS)`;
}
