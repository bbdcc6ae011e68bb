import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readManifest } from '../../../gesture/src';
import { decideGate } from '../gate/decide';
import type { DeployedModel } from '../gate/deployedModel';
import { gateSummary, type EvaluationFigures } from '../gate/summary';
import { MinAccuracySchema } from '../../../infra/config/schema';
import { stopQuietlyWhenPipeCloses } from '../../../gesture/src/cli/closed-pipe';

stopQuietlyWhenPipeCloses();

const USAGE = `usage: tsx delivery/src/cli/gate.ts --model <dir> --deployed <deployed-model.json> [--evaluation <evaluate.json>]
       [--min-accuracy 0.75] [--summary <file to append markdown to>] [--rollback]`;


const readJson = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'));

function main(): number {
  const { values } = parseArgs({
    options: {
      model: { type: 'string' },
      deployed: { type: 'string' },
      evaluation: { type: 'string' },
      'min-accuracy': { type: 'string', default: '' },
      summary: { type: 'string' },
      rollback: { type: 'boolean', default: false },
    },
  });
  if (!values.model || !values.deployed) {
    console.error(USAGE);
    return 2;
  }
  const min = MinAccuracySchema.safeParse(values['min-accuracy']);
  if (!min.success) {
    console.error(`--min-accuracy (wandcloud:minAccuracy) ${min.error.issues[0].message}, got "${values['min-accuracy']}"`);
    return 2;
  }
  const manifest = readManifest(values.model);
  const deployed = (readJson(values.deployed) as { deployed: DeployedModel | null }).deployed;
  const decision = decideGate({ candidate: manifest, deployed, minAccuracy: min.data, rollback: values.rollback });
  const evaluation = values.evaluation ? (readJson(values.evaluation) as EvaluationFigures) : undefined;
  const svgPath = join(values.model, 'offload.svg');
  const markdown = gateSummary(manifest, decision, evaluation, existsSync(svgPath) ? readFileSync(svgPath, 'utf8') : undefined);
  if (values.summary) appendFileSync(values.summary, markdown);
  for (const c of decision.checks) console.log(`${c.pass ? 'pass' : 'FAIL'}  ${c.name}: ${c.detail}`);
  console.log(decision.pass ? 'gate passed' : 'gate failed: not deploying');
  return decision.pass ? 0 : 1;
}

try {
  process.exitCode = main();
} catch (err) {
  console.error(`gate: ${(err as Error).message}`);
  process.exitCode = 1;
}
