/**
 * Azure ML model versions are positive integers (issue 10, blocker 1). A registry may still hold a legacy
 * version with another name (e.g. one registered as `e64aa253b480-s1-88a0d1c8` before the rule was known):
 * it is kept, never deleted, and left out of the numbering.
 */
export const isIntegerVersion = (version: string): boolean => /^[1-9][0-9]*$/.test(version);

/** The next free number: one more than the highest integer version, 1 for an empty registry. */
export function nextVersion(versions: Iterable<string>): number {
  let highest = 0;
  for (const v of versions) if (isIntegerVersion(v)) highest = Math.max(highest, Number(v));
  return highest + 1;
}

/** A `--version N` / `--model-version N` argument, refused unless it is a registry version. */
export function parseVersionArgument(text: string | undefined, flag = '--version'): number {
  if (text === undefined || !isIntegerVersion(text.trim())) throw new Error(`${flag} must be a registered model version: a positive integer, got "${text ?? ''}"`);
  return Number(text.trim());
}
