import type { Override, PolicyAssignment, PolicyClient, PolicyDefinition, PolicySetDefinition } from '@azure/arm-policy';
import { collect, describeFailure, tryArm, type ArmFailure } from './armError';
import { finding, normalizeRegion, type Finding } from './findings';
import { allowedLocationsParameter, locationRule, resolveValue, type LocationRule, type ParameterLookup } from './locationRule';

/** One enforced policy assignment that denies deployments outside a list of regions. */
export interface RegionRestriction {
  assignment: string;
  scope: string;
  allowed: string[];
  appliesTo: 'resources' | 'resourceGroups';
  /** `definition`: read from the policy rule; `parameter`: the definition was unreadable, taken from the assignment's parameters. */
  source: 'definition' | 'parameter';
}

export type RegionPolicyRead =
  | { ok: true; restrictions: RegionRestriction[]; unreadable: { assignment: string; reason: string }[] }
  | { ok: false; failure: ArmFailure };

type Params = Record<string, { value?: unknown }> | undefined;
type Definitions = Record<string, { defaultValue?: unknown }> | undefined;

const DEFINITION_ID =
  /^(?:\/providers\/Microsoft\.Management\/managementGroups\/([^/]+)|\/subscriptions\/[^/]+)?\/providers\/Microsoft\.Authorization\/(policyDefinitions|policySetDefinitions)\/([^/]+)$/i;

interface DefinitionRef {
  set: boolean;
  name: string;
  managementGroup?: string;
  builtIn: boolean;
}

/** Splits a definition id into the three places Azure keeps definitions: built in, a management group, the subscription. */
export function parseDefinitionId(id: string): DefinitionRef | undefined {
  const m = DEFINITION_ID.exec(id);
  if (!m) return undefined;
  return { set: m[2].toLowerCase() === 'policysetdefinitions', name: m[3], managementGroup: m[1], builtIn: !id.toLowerCase().startsWith('/subscriptions/') && !m[1] };
}

const lookupIn = (given: Params, declared: Definitions): ParameterLookup => (name) => given?.[name]?.value ?? declared?.[name]?.defaultValue;

/** Reads definitions once each: several assignments (and policy sets) often share one. */
class DefinitionReader {
  private readonly cache = new Map<string, Promise<unknown>>();
  constructor(private readonly policy: PolicyClient) {}

  private read<T>(id: string, load: () => Promise<T>): Promise<T> {
    const key = id.toLowerCase();
    if (!this.cache.has(key)) this.cache.set(key, load());
    return this.cache.get(key) as Promise<T>;
  }

  definition(ref: DefinitionRef, id: string): Promise<PolicyDefinition> {
    const defs = this.policy.policyDefinitions;
    return this.read(id, () =>
      ref.builtIn ? defs.getBuiltIn(ref.name) : ref.managementGroup ? defs.getAtManagementGroup(ref.managementGroup, ref.name) : defs.get(ref.name),
    );
  }

  set(ref: DefinitionRef, id: string): Promise<PolicySetDefinition> {
    const sets = this.policy.policySetDefinitions;
    return this.read(id, () =>
      ref.builtIn ? sets.getBuiltIn(ref.name) : ref.managementGroup ? sets.getAtManagementGroup(ref.managementGroup, ref.name) : sets.get(ref.name),
    );
  }
}

/**
 * The effect an assignment's `policyEffect` overrides give a definition (a set member is named by its reference
 * id): a plain value, `undefined` for no override, or `unresolved` when a selector depends on the resource.
 */
function overriddenEffect(overrides: Override[] | undefined, referenceId?: string): string | 'unresolved' | undefined {
  for (const override of overrides ?? []) {
    if (override.kind !== 'policyEffect') continue;
    const selectors = override.selectors ?? [];
    if (selectors.some((s) => s.kind !== 'policyDefinitionReferenceId')) return 'unresolved';
    const applies = selectors.every((s) => (!s.in || s.in.includes(referenceId ?? '')) && !(s.notIn ?? []).includes(referenceId ?? ''));
    if (applies) return override.value;
  }
  return undefined;
}

const ruleUnder = (policyRule: unknown, lookup: ParameterLookup, effect: string | 'unresolved' | undefined): LocationRule =>
  effect === 'unresolved' ? { kind: 'unresolved', reason: 'an effect override depends on the resource' } : locationRule(policyRule, lookup, effect);

/** The location rules of one assignment: its definition's, or every member's of its policy set. */
async function rulesOf(assignment: PolicyAssignment, reader: DefinitionReader): Promise<LocationRule[]> {
  const id = assignment.policyDefinitionId ?? '';
  const ref = parseDefinitionId(id);
  if (!ref) return [{ kind: 'unresolved', reason: `unrecognised definition id ${id}` }];
  if (!ref.set) {
    const def = await reader.definition(ref, id);
    return [ruleUnder(def.policyRule, lookupIn(assignment.parameters, def.parameters), overriddenEffect(assignment.overrides))];
  }
  const set = await reader.set(ref, id);
  const setLookup = lookupIn(assignment.parameters, set.parameters);
  const rules: LocationRule[] = [];
  for (const member of set.policyDefinitions ?? []) {
    const memberRef = parseDefinitionId(member.policyDefinitionId);
    if (!memberRef || memberRef.set) continue;
    const def = await reader.definition(memberRef, member.policyDefinitionId);
    // A member's parameter is usually `[parameters('setParameter')]`: resolve it against the set, then the assignment.
    const memberLookup: ParameterLookup = (name) =>
      member.parameters?.[name] !== undefined ? resolveValue(member.parameters[name].value, setLookup) : def.parameters?.[name]?.defaultValue;
    rules.push(ruleUnder(def.policyRule, memberLookup, overriddenEffect(assignment.overrides, member.policyDefinitionReferenceId)));
  }
  return rules;
}

/**
 * Every enforced assignment that applies to the subscription (its own and its management groups', `atScope()`),
 * reduced to the region lists they enforce. An assignment whose definition cannot be read falls back to its
 * `listOfAllowedLocations`-style parameter, or is reported as unreadable. A management group's assignment that
 * lists this subscription in its `notScopes` does not apply.
 */
export async function readRegionPolicy(policy: PolicyClient, subscriptionId: string): Promise<RegionPolicyRead> {
  const listed = await tryArm(() => collect(policy.policyAssignments.list({ filter: 'atScope()' })));
  if (!listed.ok) return listed;
  const reader = new DefinitionReader(policy);
  const restrictions: RegionRestriction[] = [];
  const unreadable: { assignment: string; reason: string }[] = [];
  for (const assignment of listed.value) {
    const excluded = (assignment.notScopes ?? []).some((s) => s.toLowerCase() === `/subscriptions/${subscriptionId}`.toLowerCase());
    if (assignment.enforcementMode === 'DoNotEnforce' || excluded) continue;
    const label = assignment.displayName ?? assignment.name ?? assignment.id ?? 'unnamed assignment';
    const base = { assignment: label, scope: assignment.scope ?? '' };
    const rules = await tryArm(() => rulesOf(assignment, reader));
    if (!rules.ok) {
      const fromParameter = allowedLocationsParameter(assignment.parameters);
      if (fromParameter) restrictions.push({ ...base, allowed: fromParameter, appliesTo: 'resources', source: 'parameter' });
      else if (rules.failure.status !== 404) unreadable.push({ assignment: label, reason: `its definition could not be read (${describeFailure(rules.failure)})` });
      continue;
    }
    for (const rule of rules.value) {
      if (rule.kind === 'restricts') restrictions.push({ ...base, allowed: rule.allowed, appliesTo: rule.appliesTo, source: 'definition' });
      if (rule.kind === 'unresolved') unreadable.push({ assignment: label, reason: rule.reason });
    }
  }
  return { ok: true, restrictions, unreadable };
}

/** Regions every restriction allows (each one must be satisfied), in the first list's order. */
export function allowedEverywhere(restrictions: RegionRestriction[]): string[] | undefined {
  if (restrictions.length === 0) return undefined;
  const sets = restrictions.map((r) => new Set(r.allowed.map(normalizeRegion)));
  return restrictions[0].allowed.map(normalizeRegion).filter((region, i, all) => all.indexOf(region) === i && sets.every((s) => s.has(region)));
}

const CHECK_BY_HAND = [
  'az policy assignment list --query "[].{name:displayName, allowed:parameters.listOfAllowedLocations.value}" -o json',
  'or in the portal: Policy > Assignments > the allowed-regions assignment > Parameters',
];

export interface RegionContext {
  location: string;
  /** Region names the subscription offers (`subscriptions.listLocations`), when they could be read. */
  knownRegions?: string[];
  /** Azure for Students (offer quotaId `AzureForStudents_*`) restricts regions even where no assignment is visible. */
  student: boolean;
}

/** The region finding, and the regions a fix may move to (undefined when nothing restricts them). */
export function regionFinding(ctx: RegionContext, read: RegionPolicyRead): { finding: Finding; allowed?: string[] } {
  const location = normalizeRegion(ctx.location);
  const setLocation = (region: string) => `pulumi config set azure-native:location ${region}`;
  if (ctx.knownRegions && !ctx.knownRegions.map(normalizeRegion).includes(location)) {
    return {
      finding: finding('region', 'blocker', `${ctx.location} is not a region of this subscription`, [setLocation('<region>'), 'az account list-locations --query "[].name" -o tsv'], {
        location: ctx.location,
      }),
    };
  }
  if (!read.ok) {
    return {
      finding: finding(
        'region',
        'unchecked',
        `could not read policy, check manually: the policy assignments are not readable with this sign-in (${describeFailure(read.failure)}; needs Microsoft.Authorization/policyAssignments/read)`,
        CHECK_BY_HAND,
        { location: ctx.location },
      ),
    };
  }
  const allowed = allowedEverywhere(read.restrictions);
  const details = { location: ctx.location, allowed: allowed ?? null, restrictions: read.restrictions, unreadable: read.unreadable };
  if (allowed && !allowed.includes(location)) {
    const names = read.restrictions.filter((r) => !r.allowed.map(normalizeRegion).includes(location)).map((r) => `"${r.assignment}"`);
    return {
      allowed,
      finding: finding(
        'region',
        'blocker',
        `${ctx.location} is not allowed by ${names.join(', ')}: pulumi up would fail with RequestDisallowedByAzure. Allowed: ${allowed.join(', ') || 'none'}`,
        allowed.length > 0 ? [setLocation(allowed[0])] : ['ask the subscription administrator (or Azure support) for a region'],
        details,
      ),
    };
  }
  if (read.unreadable.length > 0) {
    const what = read.unreadable.map((u) => `"${u.assignment}" (${u.reason})`).join(', ');
    return { allowed, finding: finding('region', 'unchecked', `could not read policy, check manually: ${what}`, CHECK_BY_HAND, details) };
  }
  if (allowed) return { allowed, finding: finding('region', 'ok', `${ctx.location} is allowed (allowed regions: ${allowed.join(', ')})`, [], details) };
  if (ctx.student) {
    return {
      finding: finding(
        'region',
        'warning',
        'no allowed-regions policy is visible to you, but Azure for Students restricts regions above the subscription: if pulumi up fails with RequestDisallowedByAzure, choose another region',
        [setLocation('<another region>')],
        details,
      ),
    };
  }
  return { finding: finding('region', 'ok', `no policy restricts regions; ${ctx.location} is fine`, [], details) };
}
