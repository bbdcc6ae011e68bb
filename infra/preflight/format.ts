import type { FindingStatus } from './findings';
import type { PreflightReport } from './run';

const LABEL: Record<FindingStatus, string> = { ok: 'ok', warning: 'warning', unchecked: 'CHECK', blocker: 'BLOCKER' };
const TITLE = { subscription: 'subscription', region: 'region', providers: 'providers', freePlan: 'free plan', computeQuota: 'ML quota' } as const;

/** The report for a person: one line per check, each fix indented under it, then the verdict. */
export function formatReport(report: PreflightReport): string {
  const target = [
    report.stack ? `stack ${report.stack}` : undefined,
    `subscription ${report.subscription.name ?? ''} (${report.subscription.id})`,
    `region ${report.location}`,
    report.computeVmSize ? `compute ${report.computeVmSize}` : 'no compute instance',
  ].filter(Boolean);
  const lines = [`preflight: ${target.join(', ')}`];
  for (const f of report.findings) {
    lines.push(`  ${LABEL[f.status].padEnd(8)} ${TITLE[f.check].padEnd(13)} ${f.summary}`);
    for (const fix of f.fix) lines.push(`  ${''.padEnd(8)} ${''.padEnd(13)} fix: ${fix}`);
  }
  const unchecked = report.findings.filter((f) => f.status === 'unchecked').length;
  if (report.blockers > 0) lines.push(`${report.blockers} blocker${report.blockers > 1 ? 's' : ''}: pulumi up would fail; fix ${report.blockers > 1 ? 'them' : 'it'} first.`);
  else lines.push(`nothing blocks pulumi up${unchecked > 0 ? ` (${unchecked} check${unchecked > 1 ? 's' : ''} to make by hand, marked CHECK)` : ''}.`);
  return lines.join('\n');
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The same report as a Markdown table, for a GitHub job summary (`--summary "$GITHUB_STEP_SUMMARY"`). */
export function formatMarkdown(report: PreflightReport): string {
  const rows = report.findings.map((f) => `| ${LABEL[f.status]} | ${TITLE[f.check]} | ${cell(f.summary)} | ${f.fix.map((x) => `\`${cell(x)}\``).join('<br>')} |`);
  const verdict = report.blockers > 0 ? `**${report.blockers} blocker(s): not deploying.**` : 'Nothing blocks `pulumi up`.';
  return [`### Preflight: ${report.location}, subscription ${cell(report.subscription.name ?? report.subscription.id)}`, '', '| | check | finding | fix |', '| --- | --- | --- | --- |', ...rows, '', verdict, ''].join('\n');
}

export const exitCode = (report: PreflightReport): 0 | 1 => (report.blockers > 0 ? 1 : 0);
