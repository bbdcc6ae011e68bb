import { parseArgs } from 'node:util';
import { readDatasets, type DatasetRead } from '../dataset';
import { recordingWarnings } from '../quality';
import { separabilityByGroup, separabilityWarning } from '../separability';
import { DEFAULT_MIN_ROWS } from '../recording';
import { stopQuietlyWhenPipeCloses } from './closed-pipe';

stopQuietlyWhenPipeCloses();

const USAGE = 'usage: npm run data:check -- <dir> [--json] [--min-rows N]';

interface DatasetSummary {
  recordings: number;
  classes: Record<string, number>;
  people: string[];
}

function summarise(read: DatasetRead) {
  const classes: Record<string, number> = {};
  const people = new Set<string>();
  const datasets = new Map<string, DatasetSummary>();
  for (const r of read.recordings) {
    classes[r.label] = (classes[r.label] ?? 0) + 1;
    people.add(r.personId);
    const d = datasets.get(r.dataset) ?? { recordings: 0, classes: {}, people: [] };
    d.recordings += 1;
    d.classes[r.label] = (d.classes[r.label] ?? 0) + 1;
    if (!d.people.includes(r.person)) d.people.push(r.person);
    datasets.set(r.dataset, d);
  }
  return { classes, people: people.size, datasets };
}

function main(): number {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { json: { type: 'boolean', default: false }, 'min-rows': { type: 'string' } },
  });
  if (positionals.length !== 1) {
    console.error(USAGE);
    return 2;
  }
  const minRows = values['min-rows'] === undefined ? DEFAULT_MIN_ROWS : Number(values['min-rows']);
  if (!Number.isInteger(minRows) || minRows < 2) {
    console.error(`--min-rows must be an integer >= 2, got ${values['min-rows']}`);
    return 2;
  }
  const started = performance.now();
  const read = readDatasets(positionals[0], { minRows });
  const seconds = (performance.now() - started) / 1000;
  const { classes, people, datasets } = summarise(read);
  const suspect = read.recordings
    .map((r) => ({ path: r.path, warnings: recordingWarnings(r.samples) }))
    .filter((s) => s.warnings.length > 0);
  // Per person with enough recordings to judge: can their gestures be told apart (`src/separability.ts`)?
  const byPerson = separabilityByGroup(read.recordings, (r) => r.personId);
  const separable = [...byPerson].map(([person, s]) => ({ person, ...s, warning: separabilityWarning(s) }));
  if (values.json) {
    const rejected = read.rejected.map(({ path, reason }) => ({ path, reason }));
    console.log(JSON.stringify({ recordings: read.recordings.length, classes, people, rejected, suspect, separability: separable }));
  } else {
    for (const [name, d] of datasets) {
      const counts = Object.entries(d.classes).map(([label, n]) => `${label}: ${n}`).join(', ');
      const people = d.people.map((person) => {
        const judged = byPerson.get(`${name}/${person}`);
        return judged ? `${person} (gestures tell apart ${Math.round(judged.agreement * 100)} %)` : person;
      });
      console.log(`${name}: ${d.recordings} recordings (${counts}); people: ${people.join(', ')}`);
    }
    const counts = Object.entries(classes).map(([label, n]) => `${label}: ${n}`).join(', ');
    console.log(`\ntotal: ${read.recordings.length} recordings (${counts}), ${people} people, ${read.rejected.length} rejected (read in ${seconds.toFixed(2)} s)`);
    for (const r of read.rejected) console.log(`rejected ${r.path}: ${r.reason}`);
    if (suspect.length > 0) {
      console.log(`\n${suspect.length} usable but suspect (worth recording again):`);
      for (const s of suspect) console.log(`suspect ${s.path}: ${s.warnings.map((w) => w.message).join('; ')}`);
    }
    const alike = separable.filter((s) => s.warning);
    if (alike.length > 0) {
      console.log(`\n${alike.length} of ${separable.length} people judged have gestures that look alike (models will confuse them too):`);
      for (const s of alike) console.log(`${s.person}: ${s.warning}`);
    }
  }
  return read.recordings.length > 0 ? 0 : 1;
}

try {
  process.exitCode = main();
} catch (err) {
  console.error(`data:check: ${(err as Error).message}`);
  process.exitCode = 1;
}
