import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { ConfigError } from '../config/load';
import { configKey, GUID, StackConfigFields } from '../config/schema';
import { stackTags } from '../tags';
import type { PreflightInputs } from './run';
import { PreflightUsageError } from './subscription';

export const USAGE = `usage: npm run preflight -- [--stack <name>] [--location <region>] [--vm-size <size>] [--subscription <id>] [--json] [--summary <file>]
  --stack         read Pulumi.<name>.yaml (and Pulumi.yaml) for the region, VM size, plan id, identity mode
  --location      region to check (overrides azure-native:location)
  --vm-size       compute instance size to check (overrides wandcloud:computeVmSize)
  --subscription  subscription id (default: azure-native:subscriptionId, ARM_SUBSCRIPTION_ID, AZURE_SUBSCRIPTION_ID,
                  or the only subscription of the sign-in)
  --json          print the report as JSON
  --summary       also append the report as a Markdown table to this file (GitHub: "$GITHUB_STEP_SUMMARY")
Signs in like Pulumi does (az login, or GitHub OIDC through azure/login). Exit 0: nothing blocks pulumi up;
1: a blocker was found; 2: bad usage, bad config or sign-in failure.`;

export interface PreflightArgs {
  stack?: string;
  location?: string;
  vmSize?: string;
  subscription?: string;
  summary?: string;
  json: boolean;
  help: boolean;
}

export function parsePreflightArgs(argv: string[]): PreflightArgs {
  try {
    const { values } = parseArgs({
      args: argv,
      options: {
        stack: { type: 'string' },
        location: { type: 'string' },
        'vm-size': { type: 'string' },
        subscription: { type: 'string' },
        summary: { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
    return { stack: values.stack, location: values.location, vmSize: values['vm-size'], subscription: values.subscription, summary: values.summary, json: values.json, help: values.help };
  } catch (err) {
    throw new PreflightUsageError(`${(err as Error).message}\n${USAGE}`);
  }
}

/** A YAML config value as Pulumi hands it to the program: text, with lists and maps as JSON; secrets are not read. */
function configText(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'object' && 'secure' in value) return undefined;
  return JSON.stringify(value);
}

function readYamlConfig(path: string): Record<string, unknown> {
  try {
    const doc = parseYaml(readFileSync(path, 'utf8')) as { config?: Record<string, unknown> } | null;
    return doc?.config ?? {};
  } catch (err) {
    throw new PreflightUsageError(`${path}: not valid YAML (${(err as Error).message.split('\n')[0]})`);
  }
}

/**
 * The stack's raw config without the Pulumi CLI: the project defaults in `Pulumi.yaml` (`key: {value: ...}` or
 * `{default: ...}`), overridden by `Pulumi.<stack>.yaml`. A qualified stack (`org/project/dev`) reads `Pulumi.dev.yaml`.
 */
export function readStackConfig(rootDir: string, stack: string | undefined): Record<string, string | undefined> {
  const values: Record<string, string | undefined> = {};
  const projectFile = join(rootDir, 'Pulumi.yaml');
  if (existsSync(projectFile)) {
    for (const [key, entry] of Object.entries(readYamlConfig(projectFile))) {
      const declared = entry !== null && typeof entry === 'object' && !Array.isArray(entry) ? (entry as { value?: unknown; default?: unknown }) : { value: entry };
      values[key] = configText(declared.value ?? declared.default);
    }
  }
  if (stack === undefined) return values;
  const stackFile = join(rootDir, `Pulumi.${stack.split('/').pop()}.yaml`);
  if (!existsSync(stackFile)) throw new PreflightUsageError(`no ${stackFile}: pulumi stack init ${stack} and set its config first, or pass --location`);
  for (const [key, value] of Object.entries(readYamlConfig(stackFile))) values[key] = configText(value);
  return values;
}

/** The fields the checks need, validated by the stack's own rules so preflight and `pulumi up` agree on every value. */
const PreflightFields = StackConfigFields.pick({
  location: true,
  owner: true,
  course: true,
  computeInstance: true,
  computeVmSize: true,
  appServicePlanId: true,
  budgetAmount: true,
  githubIdentity: true,
}).partial({ owner: true });


export function preflightInputs(args: PreflightArgs, rootDir: string, env: NodeJS.ProcessEnv): PreflightInputs {
  const raw = readStackConfig(rootDir, args.stack);
  const field = (name: string) => raw[configKey(name)];
  const parsed = PreflightFields.safeParse({
    location: args.location ?? field('location'),
    owner: field('owner'),
    course: field('course'),
    computeInstance: field('computeInstance'),
    computeVmSize: args.vmSize ?? field('computeVmSize'),
    appServicePlanId: field('appServicePlanId'),
    budgetAmount: field('budgetAmount'),
    githubIdentity: field('githubIdentity'),
  });
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((issue) => `${configKey(String(issue.path[0]))}: ${issue.message}`));
  const cfg = parsed.data;
  const subscriptionId = args.subscription ?? raw['azure-native:subscriptionId'] ?? env.ARM_SUBSCRIPTION_ID ?? env.AZURE_SUBSCRIPTION_ID;
  if (subscriptionId !== undefined && !GUID.test(subscriptionId)) throw new PreflightUsageError(`--subscription must be a subscription id (a GUID), got "${subscriptionId}"`);
  const shortStack = args.stack?.split('/').pop();
  return {
    subscriptionId: subscriptionId || undefined,
    location: cfg.location,
    computeInstance: cfg.computeInstance,
    computeVmSize: cfg.computeVmSize,
    appServicePlanId: cfg.appServicePlanId,
    githubIdentity: cfg.githubIdentity,
    budget: cfg.budgetAmount !== undefined,
    stackIdentity: shortStack && cfg.owner ? { owner: cfg.owner, managedBy: stackTags({ owner: cfg.owner, course: cfg.course, expiresOn: '', stack: shortStack }).managedBy } : undefined,
    stack: args.stack,
  };
}
