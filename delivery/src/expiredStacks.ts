import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export interface StackExpiry {
  stack: string;
  expiresOn: string | undefined;
}

const STACK_FILE = /^Pulumi\.(.+)\.ya?ml$/;

/** Every stack configuration file in the project folder (`Pulumi.<stack>.yaml`) and its `wandcloud:expiresOn`. */
export function stackExpiries(projectDir: string): StackExpiry[] {
  return readdirSync(projectDir)
    .map((name) => ({ name, match: STACK_FILE.exec(name) }))
    .filter((f): f is { name: string; match: RegExpExecArray } => f.match !== null)
    .map(({ name, match }) => {
      const doc = parse(readFileSync(join(projectDir, name), 'utf8')) as { config?: Record<string, unknown> } | null;
      const value = doc?.config?.['wandcloud:expiresOn'];
      return { stack: match[1], expiresOn: typeof value === 'string' ? value : undefined };
    })
    .sort((a, b) => (a.stack < b.stack ? -1 : 1));
}

/** Stacks whose teardown date is before `today` (both YYYY-MM-DD, so string order is date order). */
export function expiredStacks(projectDir: string, today: string): string[] {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(today)) throw new Error(`today must be YYYY-MM-DD, got "${today}"`);
  return stackExpiries(projectDir)
    .filter((s) => s.expiresOn !== undefined && s.expiresOn < today)
    .map((s) => s.stack);
}
