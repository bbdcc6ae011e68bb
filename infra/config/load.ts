import { existsSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { CONFIG_FIELDS, configKey, expiryProblem, StackConfigSchema, type StackConfig } from './schema';

/** Raw config lookup by full key (`wandcloud:owner`), as Pulumi or a test provides it. */
export type ConfigSource = (fullKey: string) => string | undefined;

/** A stack configuration that cannot be used. Each line names the key and the rule it breaks. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`invalid stack configuration:\n  ${problems.join('\n  ')}`);
  }
}

export interface LoadOptions {
  stack: string;
  /** Relative paths in the config (model folder, service package) are resolved against this folder. */
  rootDir: string;
  /** The clock the expiry is checked against. */
  today?: Date;
}

/**
 * Reads, validates and types the stack configuration. It runs before any resource is declared, so a
 * bad value stops `pulumi up` with every problem listed instead of failing halfway through a deployment.
 * Values are never echoed back: some of them are secrets.
 */
export function loadStackConfig(source: ConfigSource, options: LoadOptions): StackConfig {
  const raw = Object.fromEntries(CONFIG_FIELDS.map((field) => [field, source(configKey(field))]));
  const parsed = StackConfigSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${configKey(String(issue.path[0]))}: ${issue.message}`));
  }
  const cfg = { ...parsed.data, stack: options.stack };
  const absolute = (p: string) => (isAbsolute(p) ? p : resolve(options.rootDir, p));
  cfg.modelDir = absolute(cfg.modelDir);
  cfg.servicePackage = absolute(cfg.servicePackage);

  const problems: string[] = [];
  const expired = expiryProblem(cfg.expiresOn, options.today ?? new Date());
  if (expired) problems.push(`${configKey('expiresOn')}: ${expired}`);
  if (!existsSync(join(cfg.modelDir, 'model.json'))) {
    problems.push(`${configKey('modelDir')}: must be a folder containing model.json (train and export a model first; looked in ${cfg.modelDir})`);
  }
  if (!existsSync(cfg.servicePackage) || !statSync(cfg.servicePackage).isFile()) {
    problems.push(`${configKey('servicePackage')}: must be an existing .zip file (run npm run package first; looked for ${cfg.servicePackage})`);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return cfg;
}
