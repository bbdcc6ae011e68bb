/**
 * Reads a policy definition's rule the way Azure Policy evaluates it, far enough to answer one question: does it
 * deny deployments outside a list of locations, and which list. Built-in "Allowed locations"
 * (e56962a6-4747-49cd-b67b-bf8b01975c4c), "Allowed locations for resource groups" (e765b5de-1225-4ba3-bd56-1ac6695af988)
 * and custom copies (Azure for Students' "Allowed resource deployment regions") all say it the same way:
 * `{ "field": "location", "notIn": "[parameters('listOfAllowedLocations')]" }` under a `deny` effect.
 */

/** Looks up a parameter's value as the assignment (or the enclosing policy set) gives it, else its default. */
export type ParameterLookup = (name: string) => unknown;

export type LocationRule =
  | { kind: 'restricts'; allowed: string[]; appliesTo: 'resources' | 'resourceGroups' }
  | { kind: 'none' }
  | { kind: 'unresolved'; reason: string };

const PARAMETER_REF = /^\[\s*parameters\(\s*'([^']+)'\s*\)\s*\]$/i;
const RESOURCE_GROUP_TYPE = 'microsoft.resources/subscriptions/resourcegroups';

/** A value that may be a `[parameters('x')]` expression; other template expressions are left as they are. */
export function resolveValue(value: unknown, lookup: ParameterLookup): unknown {
  if (typeof value !== 'string') return value;
  const ref = PARAMETER_REF.exec(value.trim());
  return ref ? lookup(ref[1]) : value;
}

interface Condition {
  field?: unknown;
  allOf?: unknown;
  anyOf?: unknown;
  not?: unknown;
  [operator: string]: unknown;
}

interface Found {
  lists: unknown[];
  resourceGroupsOnly: boolean;
}

/** Walks the `if` tree; `negated` tracks how many `not`s enclose a condition (an odd number flips `in` to `notIn`). */
function walk(node: unknown, negated: boolean, lookup: ParameterLookup, found: Found): void {
  if (node === null || typeof node !== 'object') return;
  const c = node as Condition;
  if (Array.isArray(c.allOf)) c.allOf.forEach((child) => walk(child, negated, lookup, found));
  if (Array.isArray(c.anyOf)) c.anyOf.forEach((child) => walk(child, negated, lookup, found));
  if (c.not !== undefined) walk(c.not, !negated, lookup, found);
  if (typeof c.field !== 'string') return;
  const field = c.field.toLowerCase();
  const op = (name: string) => Object.keys(c).find((k) => k.toLowerCase() === name);
  if (field === 'location') {
    const listOp = negated ? op('in') : op('notin');
    if (listOp) found.lists.push(resolveValue(c[listOp], lookup));
  }
  const equals = op('equals');
  if (field === 'type' && !negated && equals && String(resolveValue(c[equals], lookup)).toLowerCase() === RESOURCE_GROUP_TYPE) {
    found.resourceGroupsOnly = true;
  }
}

/** `effect`: an assignment's `policyEffect` override, which replaces the rule's own effect. */
export function locationRule(policyRule: unknown, lookup: ParameterLookup, effectOverride?: string): LocationRule {
  if (policyRule === null || typeof policyRule !== 'object') return { kind: 'none' };
  const rule = policyRule as { if?: unknown; then?: { effect?: unknown } };
  const found: Found = { lists: [], resourceGroupsOnly: false };
  walk(rule.if, false, lookup, found);
  if (found.lists.length === 0) return { kind: 'none' };
  const effect = effectOverride ?? resolveValue(rule.then?.effect, lookup);
  if (typeof effect !== 'string') return { kind: 'unresolved', reason: 'its effect is not a plain value' };
  if (effect.toLowerCase() !== 'deny') return { kind: 'none' };
  const lists = found.lists.filter((l): l is unknown[] => Array.isArray(l));
  if (lists.length !== found.lists.length) return { kind: 'unresolved', reason: 'its list of locations is not a plain list' };
  const allowed = lists.flat().filter((l): l is string => typeof l === 'string');
  return { kind: 'restricts', allowed, appliesTo: found.resourceGroupsOnly ? 'resourceGroups' : 'resources' };
}

/**
 * When the definition itself cannot be read (a student may read assignments but not a management group's
 * definitions), the assignment's own parameters are the best evidence: Azure's built-in and student policies name
 * the list `listOfAllowedLocations`.
 */
export function allowedLocationsParameter(parameters: Record<string, { value?: unknown }> | undefined): string[] | undefined {
  const entry = Object.entries(parameters ?? {}).find(([name, p]) => /allowedlocations/i.test(name) && Array.isArray(p.value));
  return entry ? (entry[1].value as unknown[]).filter((l): l is string => typeof l === 'string') : undefined;
}
