import { createHash } from 'node:crypto';

/**
 * Azure resource names for one student's stack. Names that only need to be unique in the subscription end in a
 * hash of owner and stack. Names with global (or regional DNS) scope, storage account, Key Vault, web app and
 * compute instance, end in a random suffix the stack keeps in its state instead: two students who give the same
 * owner id (or the one in an example file) in different subscriptions would otherwise ask for the same global
 * names, and the second `pulumi up` would fail. A new stack after `pulumi destroy` gets a new suffix, so a
 * soft-deleted Key Vault or workspace of the old one never blocks it.
 */
export interface StackNames {
  resourceGroup: string;
  logAnalytics: string;
  appInsights: string;
  mlWorkspace: string;
  appServicePlan: string;
  githubIdentity: string;
  appIdentity: string;
  budget: string;
}

/** Names that must be unique beyond the subscription. */
export interface GlobalNames {
  storageAccount: string;
  keyVault: string;
  webApp: string;
  computeInstance: string;
}

export type NameKind = keyof StackNames | keyof GlobalNames;

/** The random suffix's shape: `random.RandomString` with length 6, lower case and digits. */
export const UNIQUE_SUFFIX = { length: 6, pattern: /^[a-z0-9]{6}$/ } as const;

/** Name rules per resource type, as Azure documents them; the property tests check every name against these. */
export const NAME_RULES: Record<NameKind, { pattern: RegExp; min: number; max: number; rule: string }> = {
  resourceGroup: { pattern: /^[a-zA-Z0-9._()-]*[a-zA-Z0-9_()-]$/, min: 1, max: 90, rule: 'letters, digits, . _ - ( ), not ending in .' },
  storageAccount: { pattern: /^[a-z0-9]+$/, min: 3, max: 24, rule: 'lowercase letters and digits' },
  keyVault: { pattern: /^[a-zA-Z](?!.*--)[a-zA-Z0-9-]*[a-zA-Z0-9]$/, min: 3, max: 24, rule: 'starts with a letter, letters, digits, single hyphens' },
  logAnalytics: { pattern: /^[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]$/, min: 4, max: 63, rule: 'letters, digits, hyphens, alphanumeric at both ends' },
  appInsights: { pattern: /^[a-zA-Z0-9._()-]*[a-zA-Z0-9_()-]$/, min: 1, max: 255, rule: 'letters, digits, . _ - ( ), not ending in .' },
  mlWorkspace: { pattern: /^[a-zA-Z0-9][a-zA-Z0-9_-]*$/, min: 3, max: 33, rule: 'starts alphanumeric, letters, digits, - _' },
  computeInstance: { pattern: /^[a-zA-Z][a-zA-Z0-9-]*[a-zA-Z0-9]$/, min: 3, max: 24, rule: 'starts with a letter, letters, digits, hyphens' },
  appServicePlan: { pattern: /^[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]$/, min: 1, max: 60, rule: 'letters, digits, hyphens' },
  webApp: { pattern: /^[a-z0-9][a-z0-9-]*[a-z0-9]$/, min: 2, max: 60, rule: 'lowercase letters, digits, hyphens, alphanumeric at both ends' },
  githubIdentity: { pattern: /^[a-zA-Z0-9][a-zA-Z0-9_-]*$/, min: 3, max: 128, rule: 'starts alphanumeric, letters, digits, - _' },
  appIdentity: { pattern: /^[a-zA-Z0-9][a-zA-Z0-9_-]*$/, min: 3, max: 128, rule: 'starts alphanumeric, letters, digits, - _' },
  budget: { pattern: /^[a-zA-Z0-9_-]+$/, min: 1, max: 63, rule: 'letters, digits, - _' },
};

/** Pulumi stack names may contain `.`, `_`, `-` and upper case, and may be qualified (`org/project/stack`). */
export function stackSlug(stack: string): string {
  const short = stack.split('/').pop() ?? stack;
  const slug = short.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return slug.length > 0 ? slug : 'stack';
}

/** Six base-36 characters of SHA-256 over owner and stack: the part of every global name that keeps it unique. */
export function stackHash(owner: string, stack: string): string {
  const digest = createHash('sha256').update(`${owner}/${stack}`).digest();
  return BigInt(`0x${digest.subarray(0, 8).toString('hex')}`).toString(36).padStart(6, '0').slice(-6);
}

/** Joins parts with `-`, cutting the middle parts (never the prefix or the hash) to fit `max`. */
function fit(prefix: string, middle: string[], suffix: string, max: number, sep = '-'): string {
  const fixed = prefix.length + suffix.length + sep.length * (middle.length + 1);
  let budget = max - fixed;
  const cut = middle.map((part) => {
    const piece = part.slice(0, Math.max(0, budget));
    budget -= piece.length;
    return piece;
  });
  return [prefix, ...cut.filter((p) => p.length > 0), suffix]
    .join(sep)
    .replace(/-+/g, '-')
    .replace(/-$/, '');
}

/** The names unique within the subscription: owner, stack and a hash of both. */
export function stackNames(owner: string, stack: string): StackNames {
  const slug = stackSlug(stack);
  const hash = stackHash(owner, stack);
  return {
    resourceGroup: fit('rg-wand', [owner, slug], hash, 90),
    logAnalytics: fit('log-wand', [owner, slug], hash, 63),
    appInsights: fit('appi-wand', [owner, slug], hash, 255),
    mlWorkspace: fit('mlw', [owner, slug], hash, 33),
    appServicePlan: fit('plan-wand', [owner, slug], hash, 60),
    githubIdentity: fit('id-wand-github', [owner, slug], hash, 128),
    appIdentity: fit('id-wand-app', [owner, slug], hash, 128),
    budget: fit('budget-wand', [owner, slug], hash, 63),
  };
}

/** The globally unique names; `unique` is the stack's random suffix (UNIQUE_SUFFIX). */
export function globalNames(owner: string, stack: string, unique: string): GlobalNames {
  if (!UNIQUE_SUFFIX.pattern.test(unique)) throw new Error(`the unique name suffix must be 6 lowercase letters or digits, got "${unique}"`);
  const slug = stackSlug(stack);
  return {
    storageAccount: fit('wand', [owner], unique, 24, ''),
    keyVault: fit('kv', [owner], unique, 24),
    computeInstance: fit('ci', [owner], unique, 24),
    webApp: fit('wand', [owner, slug], unique, 60),
  };
}

/** Checks one generated name against its type's rule; returns the broken rule or undefined. */
export function nameViolation(kind: NameKind, name: string): string | undefined {
  const rule = NAME_RULES[kind];
  if (name.length < rule.min || name.length > rule.max) return `${kind} "${name}": length must be ${rule.min}-${rule.max}`;
  if (!rule.pattern.test(name)) return `${kind} "${name}": ${rule.rule}`;
  return undefined;
}
