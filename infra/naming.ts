import { createHash } from 'node:crypto';

/**
 * Azure resource names for one student's stack, derived only from the owner id and the stack name, so
 * that `pulumi up` after `pulumi destroy` (or on another machine) lands on the same names, and two
 * stacks never collide. Names with global scope (storage, vault, web app, compute instance DNS) end in a
 * short hash of owner and stack, so truncation never makes two students share one.
 */
export interface StackNames {
  resourceGroup: string;
  storageAccount: string;
  keyVault: string;
  logAnalytics: string;
  appInsights: string;
  mlWorkspace: string;
  computeInstance: string;
  appServicePlan: string;
  webApp: string;
  githubIdentity: string;
  budget: string;
}

/** Name rules per resource type, as Azure documents them; the property tests check every name against these. */
export const NAME_RULES: Record<keyof StackNames, { pattern: RegExp; min: number; max: number; rule: string }> = {
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

export function stackNames(owner: string, stack: string): StackNames {
  const slug = stackSlug(stack);
  const hash = stackHash(owner, stack);
  return {
    resourceGroup: fit('rg-wand', [owner, slug], hash, 90),
    storageAccount: fit('wand', [owner], hash, 24, ''),
    keyVault: fit('kv', [owner], hash, 24),
    logAnalytics: fit('log-wand', [owner, slug], hash, 63),
    appInsights: fit('appi-wand', [owner, slug], hash, 255),
    mlWorkspace: fit('mlw', [owner, slug], hash, 33),
    computeInstance: fit('ci', [owner], hash, 24),
    appServicePlan: fit('plan-wand', [owner, slug], hash, 60),
    webApp: fit('wand', [owner, slug], hash, 60),
    githubIdentity: fit('id-wand-github', [owner, slug], hash, 128),
    budget: fit('budget-wand', [owner, slug], hash, 63),
  };
}

/** Checks one generated name against its type's rule; returns the broken rule or undefined. */
export function nameViolation(kind: keyof StackNames, name: string): string | undefined {
  const rule = NAME_RULES[kind];
  if (name.length < rule.min || name.length > rule.max) return `${kind} "${name}": length must be ${rule.min}-${rule.max}`;
  if (!rule.pattern.test(name)) return `${kind} "${name}": ${rule.rule}`;
  return undefined;
}
