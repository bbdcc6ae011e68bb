import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { expiryProblem, StackConfigFields } from '../config/schema';

/** One student of the class: a row of roster.csv. */
export interface RosterRow {
  /** `wandcloud:owner`: the student id every name of their stack derives from. */
  id: string;
  /** `wandcloud:studentObjectId`: the student's Entra objectId, who gets the roles on their stack. */
  objectId: string;
  githubRepo: string;
  expiresOn: string;
  /** Line of roster.csv the student is on, for messages. */
  line: number;
}

export class RosterError extends Error {
  override readonly name = 'RosterError';
}

export const ROSTER_COLUMNS = ['id', 'objectId', 'githubRepo', 'expiresOn'] as const;

// The stack's own rules, so a roster that passes here cannot fail `pulumi up` on the same value.
const fields = StackConfigFields.shape;
const RowSchema = z.object({
  id: fields.owner,
  objectId: z.string({ error: 'is required: the student\'s Entra objectId' }).pipe(fields.studentObjectId.out.unwrap()),
  githubRepo: fields.githubRepo,
  expiresOn: fields.expiresOn,
});

/** Columns whose value must differ between students: two students cannot share a stack, a sign-in or a repository. */
const UNIQUE: (keyof Omit<RosterRow, 'line'>)[] = ['id', 'objectId', 'githubRepo'];

export interface RosterOptions {
  /**
   * Refuse expiry dates on or before this day: for commands that create stacks (the daily teardown would destroy
   * them at once). Teardown and status read a roster whose dates have passed, so they leave it out.
   */
  expiringAfter?: Date;
}

/**
 * Parses roster.csv (header `id,objectId,githubRepo,expiresOn`; `#` starts a comment) and checks each value with
 * the stack's own config rules. Every problem is reported with its line, all at once, before any cloud call.
 */
export function parseRoster(text: string, options: RosterOptions = {}): RosterRow[] {
  const records = parse(text, { bom: true, columns: true, skip_empty_lines: true, trim: true, comment: '#', info: true }) as {
    record: Record<string, string>;
    info: { lines: number };
  }[];
  if (records.length === 0) throw new RosterError('roster has no students');
  const missing = ROSTER_COLUMNS.filter((c) => !(c in records[0].record));
  if (missing.length > 0) throw new RosterError(`roster is missing column(s) ${missing.join(', ')} (header: ${ROSTER_COLUMNS.join(',')})`);

  const problems: string[] = [];
  const firstLine = new Map<string, number>();
  const rows: RosterRow[] = [];
  for (const { record, info } of records) {
    const line = info.lines;
    const parsed = RowSchema.safeParse(record);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problems.push(`roster line ${line}: ${String(issue.path[0])}: ${issue.message}`);
      continue;
    }
    const row = { ...parsed.data, objectId: parsed.data.objectId.toLowerCase(), line };
    const expired = options.expiringAfter && expiryProblem(row.expiresOn, options.expiringAfter);
    if (expired) problems.push(`roster line ${line}: expiresOn: ${expired}`);
    for (const column of UNIQUE) {
      const key = `${column}=${row[column].toLowerCase()}`;
      const earlier = firstLine.get(key);
      if (earlier !== undefined) problems.push(`roster line ${line}: ${column} ${row[column]} is already on line ${earlier}`);
      else firstLine.set(key, line);
    }
    rows.push(row);
  }
  if (problems.length > 0) throw new RosterError(`roster refused:\n  ${problems.join('\n  ')}`);
  return rows;
}
