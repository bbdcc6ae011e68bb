import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { SUSPECT_CHOICES, TrainingDataError, type SuspectChoice } from '../data/data';
import type { OffloadRule } from '../calibration/offload';
import { terminalProgress } from '../support/progress';
import type { RecipeName } from '../models/recipes';
import { stageTimeRows, summaryRows, textTable } from '../report/report';
import { train } from '../train';
import type { TrainOptions } from '../train-types';
import { stopQuietlyWhenPipeCloses } from '../../../gesture/src/cli/closed-pipe';

const USAGE = `usage: npm run train -- --data <dir> [--out <dir>] [--classes O,V,Z] [--seed N] [--personal <dir>]
  [--model wand|lab-baseline] [--group-by dataset|person] [--offload-target 0.005 | --offload-budget 0.2]
  [--curve 5,10,20 | --curve none] [--no-baseline] [--min-per-class 10] [--name NAME] [--golden 60]
  [--suspect recipe|keep|down-weight|drop] [--epochs N] [--max-folds N]`;

/** A command-line mistake: printed with the usage, exit code 2. */
class UsageError extends Error {}

function positiveInt(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const v = Number(text);
  if (!Number.isInteger(v) || v < 0) throw new UsageError(`--${name} must be a non-negative integer, got "${text}"`);
  return v;
}

function fraction(name: string, text: string): number {
  const v = Number(text);
  if (!Number.isFinite(v) || v < 0 || v > 1) throw new UsageError(`--${name} must be a number between 0 and 1, got "${text}"`);
  return v;
}

export function parseTrainArgs(argv: string[]): TrainOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      data: { type: 'string' },
      out: { type: 'string', default: 'build/model' },
      classes: { type: 'string' },
      seed: { type: 'string' },
      personal: { type: 'string' },
      model: { type: 'string', default: 'wand' },
      'group-by': { type: 'string', default: 'dataset' },
      'offload-target': { type: 'string' },
      'offload-budget': { type: 'string' },
      curve: { type: 'string', default: '5,10,20' },
      'no-baseline': { type: 'boolean', default: false },
      'min-per-class': { type: 'string' },
      name: { type: 'string', default: 'wand-gestures' },
      golden: { type: 'string' },
      epochs: { type: 'string' },
      'max-folds': { type: 'string' },
      suspect: { type: 'string', default: 'recipe' },
    },
  });
  if (!values.data) throw new UsageError('--data <dir> is required');
  if (values.model !== 'wand' && values.model !== 'lab-baseline') throw new UsageError(`--model must be wand or lab-baseline, got "${values.model}"`);
  if (values['group-by'] !== 'dataset' && values['group-by'] !== 'person') throw new UsageError(`--group-by must be dataset or person`);
  if (!SUSPECT_CHOICES.includes(values.suspect as SuspectChoice)) throw new UsageError(`--suspect must be ${SUSPECT_CHOICES.join(', ')}, got "${values.suspect}"`);
  if (values['offload-target'] && values['offload-budget']) throw new UsageError('give --offload-target or --offload-budget, not both');
  const offload: OffloadRule = values['offload-budget']
    ? { kind: 'budget', fraction: fraction('offload-budget', values['offload-budget']) }
    : { kind: 'target', maxDrop: fraction('offload-target', values['offload-target'] ?? '0.005') };
  const curve = values.curve === 'none' ? [] : (values.curve as string).split(',').map((k) => positiveInt('curve', k.trim(), 0)).filter((k) => k > 0);
  if (!/^[a-z0-9][a-z0-9._-]*$/i.test(values.name as string)) throw new UsageError('--name: letters, digits, dot, dash, underscore');
  const epochs = values.epochs === undefined ? undefined : positiveInt('epochs', values.epochs, 1);
  const maxFolds = values['max-folds'] === undefined ? undefined : positiveInt('max-folds', values['max-folds'], 1);
  return {
    data: resolve(values.data),
    out: resolve(values.out as string),
    classes: values.classes ? values.classes.split(',').map((c) => c.trim()).filter(Boolean) : undefined,
    seed: positiveInt('seed', values.seed, 1),
    personal: values.personal ? resolve(values.personal) : undefined,
    groupBy: values['group-by'],
    model: values.model as RecipeName,
    offload,
    curve,
    compareBaseline: !values['no-baseline'],
    minPerClass: positiveInt('min-per-class', values['min-per-class'], 10),
    name: values.name as string,
    goldenCount: positiveInt('golden', values.golden, 56),
    suspect: values.suspect as SuspectChoice,
    epochs: epochs || undefined,
    maxFolds: maxFolds || undefined,
  };
}

async function main(): Promise<number> {
  let options: TrainOptions;
  try {
    options = parseTrainArgs(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof UsageError) && !(err instanceof TypeError)) throw err;
    console.error(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  const progress = terminalProgress();
  try {
    const result = await train({ ...options, progress });
    progress.stop();
    for (const w of result.warnings) console.warn(`warning: ${w}`);
    console.log(`\n${textTable(summaryRows(result))}\n`);
    console.log(`time per stage\n${textTable(stageTimeRows(result))}\n`);
    console.log(`final models trained in ${result.finalTrainingSeconds.toFixed(1)} s; wrote ${options.out} (report.md, model.json, cloud.onnx, edge.onnx, edge_model.h, golden.json)`);
    return 0;
  } catch (err) {
    progress.stop();
    if (err instanceof TrainingDataError) {
      console.error(`error: ${err.message}`);
      return 1;
    }
    throw err;
  }
}

if (require.main === module) {
  stopQuietlyWhenPipeCloses();
  main().then((code) => process.exit(code), (err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
