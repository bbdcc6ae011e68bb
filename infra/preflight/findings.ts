/**
 * What the preflight says about one check. `blocker` means `pulumi up` would fail (exit 1); `unchecked` means the
 * check could not be made with the caller's rights and must be done by hand; neither `warning` nor `unchecked`
 * stops a deployment.
 */
export type FindingStatus = 'ok' | 'warning' | 'unchecked' | 'blocker';

export type CheckName = 'subscription' | 'region' | 'providers' | 'freePlan' | 'computeQuota';

export interface Finding {
  check: CheckName;
  status: FindingStatus;
  /** One sentence: what was found. */
  summary: string;
  /** Commands or config changes that resolve it, most direct first. */
  fix: string[];
  /** Machine-readable facts behind the summary (lists, counts, ids), for `--json`. */
  details?: Record<string, unknown>;
}

export const finding = (check: CheckName, status: FindingStatus, summary: string, fix: string[] = [], details?: Record<string, unknown>): Finding => ({
  check,
  status,
  summary,
  fix,
  ...(details ? { details } : {}),
});

/** Region names as ARM writes them in different places ("West US 2", "westus2") compared as one. */
export const normalizeRegion = (name: string): string => name.replace(/\s+/g, '').toLowerCase();
