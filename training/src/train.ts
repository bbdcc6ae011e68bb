import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fingerprintRecordings, GOLDEN_FILE, MANIFEST_FILE, parseManifest } from '../../gesture/src';
import { useWasmBackend } from './models/backend';
import { reliability, softmaxRows } from './calibration/calibration';
import { crossValidate } from './evaluation/crossval';
import { figuresFor, subset } from './evaluation/figures';
import { loadTrainingData, suspectCounts } from './data/data';
import { planFolds } from './data/folds';
import { goldenFile, pickGoldenSources } from './export/golden';
import { edgeHeader } from './export/header';
import { confusionMatrix } from './evaluation/metrics';
import { trainModel, type TrainedModel } from './models/model-training';
import { heldOutCascade } from './calibration/cascade';
import { exportOnnx, foldTemperature, ONNX_INPUT, ONNX_OUTPUT } from './export/onnx-export';
import { openSession, runSession } from './export/onnx-run';
import { personalisationCurve } from './evaluation/personal-curve';
import { silentProgress } from './support/progress';
import { inputBuilder, RECIPES, SAMPLE_RATE_HZ, WINDOW_LENGTH, type Role } from './models/recipes';
import { writeReport } from './report/report';
import { predictLogits } from './models/fit';
import type { ModelFigures, StageTime, TrainOptions, TrainResult } from './train-types';

const metricEntry = (f: ModelFigures) => ({
  accuracy: f.accuracy,
  pooledAccuracy: f.pooledAccuracy,
  eceBefore: f.eceBefore,
  eceAfter: f.eceAfter,
  eceAfterCrossFitted: f.eceAfterCrossFitted,
});

export async function train(options: TrainOptions): Promise<TrainResult> {
  const progress = options.progress ?? silentProgress;
  const warnings: string[] = [];
  const stageTimes: StageTime[] = [];
  const runStarted = Date.now();
  let stageStarted = runStarted;
  const endStage = (stage: string, steps?: number) => {
    const now = Date.now();
    stageTimes.push({ stage, seconds: (now - stageStarted) / 1000, ...(steps ? { steps } : {}) });
    stageStarted = now;
  };
  await useWasmBackend();
  const data = loadTrainingData(options.data, { classes: options.classes, groupBy: options.groupBy, windowLength: WINDOW_LENGTH, minPerClass: options.minPerClass });
  const personal = options.personal
    ? loadTrainingData(options.personal, { classes: data.labels, groupBy: options.groupBy, windowLength: WINDOW_LENGTH, minPerClass: 1 }).examples.map((e) => ({ ...e, group: `personal:${e.group}` }))
    : [];
  for (const r of data.rejected) progress.log(`rejected ${r.path}: ${r.reason}`);
  const suspect = suspectCounts(data.examples);
  for (const [group, s] of Object.entries(suspect)) {
    if (s.suspect > 0) progress.log(`${group}: ${s.suspect} of ${s.recordings} recordings suspect (${Object.entries(s.codes).map(([code, n]) => `${code} ${n}`).join(', ')}); training ${options.suspect === 'keep' ? 'keeps' : options.suspect === 'drop' ? 'drops' : 'down-weights'} them`);
  }
  const c = data.labels.length;
  const plan = planFolds(data.examples, options.seed);
  if (plan.warning) warnings.push(plan.warning);
  const folds = options.maxFolds ? plan.folds.slice(0, options.maxFolds) : plan.folds;
  if (folds.length < plan.folds.length) warnings.push(`only ${folds.length} of ${plan.folds.length} folds were evaluated (--max-folds)`);
  const recipes = RECIPES[options.model];
  const evaluated: Record<string, TrainedModel['recipe']> = { edge: recipes.edge, cloud: recipes.cloud };
  if (options.compareBaseline && options.model !== 'lab-baseline') {
    evaluated['baseline-edge'] = RECIPES['lab-baseline'].edge;
    evaluated['baseline-cloud'] = RECIPES['lab-baseline'].cloud;
  }
  endStage('read data');
  const curveGroups = plan.kind === 'grouped' && options.curve.length > 0 ? folds.length : 0;
  progress.stages(folds.length * Object.keys(evaluated).length + curveGroups * options.curve.length * 2 + 2);

  const oof = crossValidate({ examples: data.examples, personal, folds, classes: c, recipes: evaluated, seed: options.seed, epochs: options.epochs, suspect: options.suspect, progress });
  for (const [key, cost] of Object.entries(oof.cost)) stageTimes.push({ stage: `cross-validation: ${key} (fitting)`, seconds: cost.seconds, steps: cost.steps });
  const rows = [...data.examples.keys()].filter((i) => oof.foldOf[i] >= 0);
  const figures: Record<string, ModelFigures> = {};
  for (const [key, recipe] of Object.entries(evaluated)) figures[key] = figuresFor(key, recipe, oof, rows, data.examples, c, folds.length);

  const labels = Int32Array.from(rows, (i) => data.examples[i].label);
  const { cascadeData, choice, curve, oracle, cascadePred, cascadeGrouped } = heldOutCascade(
    { edge: subset(oof.logits.edge, rows, c), cloud: subset(oof.logits.cloud, rows, c) },
    { edge: figures.edge.temperature, cloud: figures.cloud.temperature },
    labels,
    rows.map((i) => data.examples[i].group),
    c,
    options.offload,
  );
  endStage(`cross-validation, ${folds.length} folds x ${Object.keys(evaluated).length} models (all, incl. fitting above), calibration, threshold`);

  const personalPoints = curveGroups
    ? personalisationCurve({ examples: data.examples, folds, oof, ks: options.curve, recipes, classes: c, seed: options.seed, epochs: options.epochs, suspect: options.suspect, progress })
    : [];
  if (personalPoints.length) endStage('personalisation curve (fine-tuning)');

  // Final models: all the data (and the user's own recordings), temperatures from the held-out people.
  const started = Date.now();
  const final: Record<Role, TrainedModel> = {} as Record<Role, TrainedModel>;
  for (const role of ['edge', 'cloud'] as Role[]) {
    progress.stage(`final ${role}`);
    final[role] = trainModel({ recipe: recipes[role], classes: c, train: data.examples, personal, seed: options.seed + 104729, epochs: options.epochs, suspect: options.suspect, onEpoch: (e, total) => progress.epoch(e + 1, total) });
    endStage(`final ${role} model`, final[role].trainingSteps);
  }
  const finalTrainingSeconds = (Date.now() - started) / 1000;

  mkdirSync(options.out, { recursive: true });
  const fingerprint = fingerprintRecordings([...data.examples, ...personal].map((e) => e.recording));
  const calibrated = {
    edge: foldTemperature(final.edge.weights, figures.edge.temperature),
    cloud: foldTemperature(final.cloud.weights, figures.cloud.temperature),
  };
  const onnx = {
    edge: exportOnnx(calibrated.edge, { name: `${options.name}-edge`, docString: recipes.edge.summary }),
    cloud: exportOnnx(calibrated.cloud, { name: `${options.name}-cloud`, docString: recipes.cloud.summary }),
  };
  for (const role of ['edge', 'cloud'] as Role[]) writeFileSync(join(options.out, `${role}.onnx`), onnx[role]);
  // The version names the data, the seed and the exported weights: another recipe on the same data is another
  // version, so the model registry never holds two different models under one version.
  const weights = createHash('sha256').update(onnx.edge).update(onnx.cloud).digest('hex');
  const version = `${fingerprint.slice(0, 12)}-s${options.seed}-${weights.slice(0, 8)}`;
  const header = 'edge_model.h';
  const evaluation =
    plan.kind === 'grouped'
      ? `leave-one-${options.groupBy}-out over ${plan.folds.length} ${options.groupBy === 'dataset' ? 'datasets (one person each)' : 'people'}${folds.length < plan.folds.length ? ` (first ${folds.length} folds only)` : ''}; accuracy = mean over held-out people`
      : `OPTIMISTIC: stratified ${plan.folds.length}-fold split of ${data.groups.length} person(s); it does not measure new people`;
  const modelEntry = (role: Role) => ({
    file: `${role}.onnx`,
    inputName: ONNX_INPUT,
    outputName: ONNX_OUTPUT,
    inputShape: calibrated[role].spec.inputShape,
    preprocessing: final[role].steps,
    temperature: figures[role].temperature,
    parameters: figures[role].parameters,
    architecture: figures[role].architecture,
  });
  const manifest = parseManifest({
    schemaVersion: 1,
    name: options.name,
    version,
    createdAt: new Date().toISOString(),
    labels: data.labels,
    input: { sampleRateHz: SAMPLE_RATE_HZ, windowLength: WINDOW_LENGTH, channels: ['x', 'y', 'z'], units: 'm/s^2' },
    models: { cloud: modelEntry('cloud'), edge: { ...modelEntry('edge'), header } },
    offload: { threshold: choice.threshold, rule: choice.rule, expectedOffloadFraction: choice.offloadFraction },
    metrics: {
      evaluation,
      cloud: metricEntry(figures.cloud),
      edge: metricEntry(figures.edge),
      cascade: { accuracy: cascadeGrouped.macro, pooledAccuracy: choice.accuracy, offloadFraction: choice.offloadFraction },
      ...(figures['baseline-cloud'] ? { labBaseline: { cloud: figures['baseline-cloud'].accuracy, edge: figures['baseline-edge'].accuracy } } : {}),
      ...(personalPoints.length ? { personalisation: personalPoints } : {}),
    },
    data: {
      fingerprint,
      recordings: data.examples.length + personal.length,
      people: new Set([...data.examples, ...personal].map((e) => e.recording.personId)).size,
      classes: Object.fromEntries(data.labels.map((l, i) => [l, [...data.examples, ...personal].filter((e) => e.label === i).length])),
    },
    training: {
      recipe: options.model,
      seed: options.seed,
      groupBy: options.groupBy,
      folds: folds.length,
      personalRecordings: personal.length,
      suspectRecordings: { policy: options.suspect, count: data.examples.filter((e) => e.warnings.length > 0).length },
      finalTrainingSeconds,
      backend: 'tfjs-wasm',
    },
  });
  writeFileSync(join(options.out, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  writeFileSync(
    join(options.out, header),
    edgeHeader(calibrated.edge, { name: options.name, version, labels: data.labels, windowLength: WINDOW_LENGTH, sampleRateHz: SAMPLE_RATE_HZ, preprocessing: manifest.models.edge?.preprocessing ?? [], threshold: choice.threshold }),
  );

  // Golden vectors and the export check both come from onnxruntime, exactly as deployed.
  const sessions = { edge: await openSession(join(options.out, 'edge.onnx')), cloud: await openSession(join(options.out, 'cloud.onnx')) };
  const predict = (role: Role, inputs: Float32Array[]) => runSession(sessions[role], inputs, calibrated[role].spec.inputShape);
  const golden = await goldenFile(manifest, pickGoldenSources(data.examples, options.goldenCount, options.seed, options.data), predict);
  writeFileSync(join(options.out, GOLDEN_FILE), `${JSON.stringify(golden)}\n`);
  let parityMaxAbsDiff = 0;
  for (const role of ['edge', 'cloud'] as Role[]) {
    const sample = data.examples.slice(0, 256);
    const build = inputBuilder(final[role].recipe, final[role].steps);
    const inputs = sample.map((e) => build(e, null));
    const ort = await predict(role, inputs);
    const tfjs = softmaxRows(predictLogits(calibrated[role], inputs), c);
    for (let i = 0; i < ort.length; i++) parityMaxAbsDiff = Math.max(parityMaxAbsDiff, Math.abs(ort[i] - tfjs[i]));
  }
  await Promise.all([sessions.edge.release(), sessions.cloud.release()]);
  endStage('export: ONNX, header, golden vectors, parity check');

  const result: TrainResult = {
    manifest,
    plan,
    figures,
    cascade: { accuracy: choice.accuracy, macroAccuracy: cascadeGrouped.macro, offloadFraction: choice.offloadFraction, threshold: choice.threshold, confusion: confusionMatrix(cascadePred, labels, c) },
    curve,
    oracle,
    personal: personalPoints,
    finalTrainingSeconds,
    parityMaxAbsDiff,
    reliability: {
      edge: { before: reliability(softmaxRows(subset(oof.logits.edge, rows, c), c), labels, c), after: reliability(cascadeData.edgeProbs, labels, c) },
      cloud: { before: reliability(softmaxRows(subset(oof.logits.cloud, rows, c), c), labels, c), after: reliability(cascadeData.cloudProbs, labels, c) },
    },
    data,
    suspect,
    warnings,
    stageTimes,
  };
  stageTimes.push({ stage: 'total (before the report)', seconds: (Date.now() - runStarted) / 1000 });
  await writeReport(options.out, result, options);
  return result;
}
