import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { StackConfigFields } from '../config/schema';

/** One student of the class: a row of roster.csv. */
export interface RosterRow {
  owner: string;
  expiresOn: string;
  githubRepo: string;
}

export class RosterError extends Error {
  override readonly name = 'RosterError';
}

const RowSchema = z.object({ owner: StackConfigFields.shape.owner, expiresOn: StackConfigFields.shape.expiresOn, githubRepo: StackConfigFields.shape.githubRepo });
export const ROSTER_COLUMNS = ['owner', 'expiresOn', 'githubRepo'] as const;

/** Parses roster.csv (header `owner,expiresOn,githubRepo`), checking each value with the stack's own config rules. */
export function parseRoster(text: string): RosterRow[] {
  const records = parse(text, { columns: true, skip_empty_lines: true, trim: true, comment: '#' }) as Record<string, string>[];
  if (records.length === 0) throw new RosterError('roster has no students');
  const missing = ROSTER_COLUMNS.filter((c) => !(c in records[0]));
  if (missing.length > 0) throw new RosterError(`roster is missing column(s) ${missing.join(', ')} (header: ${ROSTER_COLUMNS.join(',')})`);
  const seen = new Set<string>();
  return records.map((record, i) => {
    const line = i + 2;
    const parsed = RowSchema.safeParse(record);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new RosterError(`roster line ${line}: ${String(issue.path[0])}: ${issue.message}`);
    }
    if (seen.has(parsed.data.owner)) throw new RosterError(`roster line ${line}: owner ${parsed.data.owner} appears twice`);
    seen.add(parsed.data.owner);
    return parsed.data;
  });
}
