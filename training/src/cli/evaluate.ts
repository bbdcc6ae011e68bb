import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ManifestError } from '../../../gesture/src';
import { TrainingDataError } from '../data/data';
import { evaluateModel, type Evaluation } from '../evaluation/evaluate';
import { textTable } from '../report/report';
import { stopQuietlyWhenPipeCloses } from '../../../gesture/src/cli/closed-pipe';

stopQuietlyWhenPipeCloses();

const USAGE = 'usage: npm run evaluate -- --model <dir> --data <dir> [--json] [--group-by dataset|person]';

const pct = (v: number | null): string => (v === null ? '-' : `${(v * 100).toFixed(1)} %`);

function printText(e: Evaluation): void {
  console.log(`model ${e.model.name} ${e.model.version}, offload threshold ${e.model.threshold.toFixed(4)}; ${e.n} recordings scored\n`);
  console.log(
    textTable([
      ['', 'accuracy (pooled)', 'mean over people'],
      ['edge', pct(e.edge?.accuracy ?? null), pct(e.edge?.meanOverPeople ?? null)],
      ['cloud', pct(e.cloud.accuracy), pct(e.cloud.meanOverPeople)],
      [`cascade (${pct(e.cascade.offloadFraction)} offloaded)`, pct(e.cascade.accuracy), pct(e.cascade.meanOverPeople)],
    ]),
  );
  console.log(`\nper person\n${textTable([['person', 'n', 'edge', 'cloud', 'cascade', 'offloaded'], ...Object.entries(e.perPerson).map(([g, p]) => [g, String(p.n), pct(p.edge), pct(p.cloud), pct(p.cascade), pct(p.offloadFraction)])])}`);
  console.log(`\nper class\n${textTable([['class', 'n', 'edge', 'cloud', 'cascade'], ...Object.entries(e.perClass).map(([l, p]) => [l, String(p.n), pct(p.edge), pct(p.cloud), pct(p.cascade)])])}`);
  const labels = e.confusion.labels;
  console.log(`\ncascade confusion (rows actual, columns predicted)\n${textTable([['', ...labels], ...e.confusion.cascade.map((row, i) => [labels[i], ...row.map(String)])])}`);
  for (const [label, n] of Object.entries(e.unknownLabels)) console.log(`not scored: ${n} recordings labelled "${label}", which the model does not know`);
  if (e.rejected.length > 0) console.log(`rejected ${e.rejected.length} unreadable files (first: ${e.rejected[0].path}: ${e.rejected[0].reason})`);
}

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: { model: { type: 'string' }, data: { type: 'string' }, json: { type: 'boolean', default: false }, 'group-by': { type: 'string', default: 'dataset' } },
    }));
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  const groupBy = values['group-by'];
  if (!values.model || !values.data || (groupBy !== 'dataset' && groupBy !== 'person')) {
    console.error(USAGE);
    return 2;
  }
  try {
    const e = await evaluateModel({ modelDir: resolve(values.model), data: resolve(values.data), groupBy });
    if (values.json) console.log(JSON.stringify(e));
    else printText(e);
    return 0;
  } catch (err) {
    if (err instanceof ManifestError || err instanceof TrainingDataError) {
      console.error(`error: ${err.message}`);
      return 1;
    }
    throw err;
  }
}

main().then((code) => process.exit(code), (err: unknown) => {
  console.error(err);
  process.exit(1);
});
