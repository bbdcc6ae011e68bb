import { readDatasets, separability, separabilityWarning } from '../../gesture/src';

/**
 * After a session, one line on the person's recordings so far, all classes together: whether their gestures tell
 * apart (gesture/src/separability.ts). A board or grip whose gestures all come out alike is worth knowing about
 * before recording the next class, not after a training run; undefined until two classes have enough to judge.
 */
export function reviewRecordings(out: string, person: string): string | undefined {
  const mine = readDatasets(out).recordings.filter((r) => r.person === person.toLowerCase());
  const s = separability(mine);
  if (!s) return undefined;
  const classes = [...new Set(mine.map((r) => r.label))].join(', ');
  const warning = separabilityWarning(s);
  if (warning) return `your recordings so far (${classes}): ${warning}`;
  return `your recordings so far (${classes}) tell apart: a recording's nearest neighbour shows the same gesture ${Math.round(s.agreement * 100)} % of the time`;
}
