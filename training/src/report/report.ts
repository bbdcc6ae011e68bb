import { statSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import { SEPARABILITY_RULES, separabilityWarning } from '../../../gesture/src';
import type { ReliabilityBin } from '../calibration/calibration';
import { confusionChart, lineChart, reliabilityChart, renderSvg, type Line } from './charts';
import { cascadeAt } from '../calibration/offload';
import { FINE_TUNE } from '../models/model-training';
import { RECIPES } from '../models/recipes';
import type { TrainOptions, TrainResult } from '../train-types';

const pct = (v: number | undefined): string => (v === undefined || Number.isNaN(v) ? '-' : `${(v * 100).toFixed(1)} %`);
const num = (v: number, digits = 3): string => v.toFixed(digits);

/** The end-of-run summary: one row per model, as printed by the CLI and at the top of the report. */
export function summaryRows(r: TrainResult): string[][] {
  const rows: string[][] = [['model', 'parameters', 'held-out accuracy (mean over people)', 'pooled', 'ECE before', 'ECE after', 'ECE after (cross-fitted)']];
  const add = (name: string, key: string) => {
    const f = r.figures[key];
    if (f) rows.push([name, String(f.parameters), pct(f.accuracy), pct(f.pooledAccuracy), num(f.eceBefore), num(f.eceAfter), num(f.eceAfterCrossFitted)]);
  };
  add('edge', 'edge');
  add('cloud', 'cloud');
  rows.push([`cascade (threshold ${num(r.cascade.threshold)}, ${pct(r.cascade.offloadFraction)} offloaded)`, '-', pct(r.cascade.macroAccuracy), pct(r.cascade.accuracy), '-', '-', '-']);
  add('lab baseline: edge', 'baseline-edge');
  add('lab baseline: cloud', 'baseline-cloud');
  return rows;
}

/** Wall time per stage, with ms per optimiser step where the stage trains. */
export function stageTimeRows(r: TrainResult): string[][] {
  return [
    ['stage', 'seconds', 'optimiser steps', 'ms per step'],
    ...r.stageTimes.map((t) => [t.stage, t.seconds.toFixed(1), t.steps ? String(t.steps) : '-', t.steps ? ((t.seconds * 1000) / t.steps).toFixed(1) : '-']),
  ];
}

export function markdownTable(rows: string[][]): string {
  const [head, ...body] = rows;
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...body.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

export function textTable(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c])).join('  ')).join('\n');
}

const reliabilityPoints = (series: string, bins: ReliabilityBin[]) =>
  bins.filter((b) => b.count > 0).map((b) => ({ series, confidence: b.confidence, accuracy: b.accuracy, count: b.count }));

/** At most one point per half-percent of offload (the best there): keeps the SVG small. */
function thinCurve<T extends { offloadFraction: number; accuracy: number }>(curve: T[]): T[] {
  const best = new Map<number, T>();
  for (const p of curve) {
    const bucket = Math.round(p.offloadFraction * 200);
    const current = best.get(bucket);
    if (!current || p.accuracy > current.accuracy) best.set(bucket, p);
  }
  return [...best.values()].sort((a, b) => a.offloadFraction - b.offloadFraction);
}

/** report.md and its SVG images in the model folder. */
export async function writeReport(out: string, r: TrainResult, options: TrainOptions): Promise<void> {
  const labels = r.data.labels;
  const images: Record<string, Promise<string>> = {
    'confusion-edge.svg': renderSvg(confusionChart('edge (held-out)', labels, r.figures.edge.confusion)),
    'confusion-cloud.svg': renderSvg(confusionChart('cloud (held-out)', labels, r.figures.cloud.confusion)),
    'confusion-cascade.svg': renderSvg(confusionChart('cascade (held-out)', labels, r.cascade.confusion)),
  };
  const edgeOnly = r.figures.edge.pooledAccuracy;
  const cloudOnly = r.figures.cloud.pooledAccuracy;
  const offloadLines: Line[] = [
    ...thinCurve(r.curve).map((p) => ({ series: 'cascade', x: p.offloadFraction, y: p.accuracy })),
    ...r.oracle.map((p) => ({ series: 'oracle (offload exactly the edge errors)', x: p.offloadFraction, y: p.accuracy })),
    { series: 'edge only', x: 0, y: edgeOnly },
    { series: 'edge only', x: 1, y: edgeOnly },
    { series: 'cloud only', x: 0, y: cloudOnly },
    { series: 'cloud only', x: 1, y: cloudOnly },
  ];
  images['offload.svg'] = renderSvg(lineChart('accuracy vs offload fraction (held-out, pooled)', 'fraction of gestures sent to the cloud', 'accuracy', offloadLines, false));
  images['reliability.svg'] = renderSvg(
    reliabilityChart('reliability (held-out)', [
      ...reliabilityPoints('edge before', r.reliability.edge.before),
      ...reliabilityPoints('edge after', r.reliability.edge.after),
      ...reliabilityPoints('cloud before', r.reliability.cloud.before),
      ...reliabilityPoints('cloud after', r.reliability.cloud.after),
    ]),
  );
  if (r.personal.length > 0) {
    images['personalisation.svg'] = renderSvg(
      lineChart(
        'accuracy on held-out people vs own recordings',
        'own recordings per class',
        'accuracy',
        r.personal.flatMap((p) => [
          { series: 'cloud', x: p.perClass, y: p.cloud },
          { series: 'edge', x: p.perClass, y: p.edge },
        ]),
      ),
    );
  }
  for (const [name, svg] of Object.entries(images)) writeFileSync(join(out, name), await svg);

  const gap = cloudOnly - edgeOnly;
  const at = (f: number) => {
    const points = r.curve.filter((p) => p.offloadFraction <= f + 1e-9);
    return points.reduce((a, b) => (b.accuracy > a.accuracy ? b : a), points[0] ?? cascadeAt({ edgeProbs: new Float32Array(), cloudProbs: new Float32Array(), labels: [], classes: labels.length }, 0));
  };
  const recovered = (f: number) => (gap > 0 ? pct((at(f).accuracy - edgeOnly) / gap) : '-');
  const m = r.manifest;
  const groupNames = Object.keys(r.figures.cloud.perGroup);
  const perGroupRows = [
    ['held out', 'recordings', 'edge', 'cloud', ...(r.figures['baseline-cloud'] ? ['lab baseline cloud'] : [])],
    ...groupNames.map((g) => [
      g,
      String(r.figures.cloud.perGroup[g].n),
      pct(r.figures.edge.perGroup[g]?.accuracy),
      pct(r.figures.cloud.perGroup[g]?.accuracy),
      ...(r.figures['baseline-cloud'] ? [pct(r.figures['baseline-cloud'].perGroup[g]?.accuracy)] : []),
    ]),
  ];
  const size = (f: string) => `${(statSync(join(out, f)).size / 1024).toFixed(1)} KB`;
  // The card travels with the model (registry, App Service package): name data by where it is from the
  // repository, not by the training machine's absolute paths.
  const shown = (dir: string) => {
    const rel = relative(process.cwd(), dir);
    return rel === '' ? '.' : isAbsolute(rel) || rel.startsWith(`..${sep}..`) ? dir : rel;
  };
  const lines = [
    `# Model card: ${m.name} ${m.version}`,
    '',
    `Trained by \`npm run train\` (recipe \`${options.model}\`, seed ${options.seed}) on \`${shown(options.data)}\`: ${r.data.examples.length} recordings, ` +
      `${r.data.groups.length} ${options.groupBy === 'dataset' ? 'datasets' : 'people'}, classes ${labels.map((l) => `${l} (${r.data.classCounts[l]})`).join(', ')}; ` +
      `${r.data.rejected.length} files rejected.${options.personal ? ` The final models are then fine-tuned on the own recordings from \`${shown(options.personal)}\` (${r.manifest.training?.personalRecordings} recordings) as the personalisation curve measures it; the held-out figures are the pooled models'.` : ''}`,
    '',
    `**Evaluation:** ${m.metrics.evaluation}.`,
    ...r.warnings.map((w) => `\n> **Warning:** ${w}`),
    '',
    '## Summary',
    '',
    markdownTable(summaryRows(r)),
    '',
    `Edge: \`${r.figures.edge.architecture}\`, ${r.figures.edge.parameters} parameters, ${r.figures.edge.multiplyAdds} multiply-adds per window. ` +
      `Cloud: \`${r.figures.cloud.architecture}\`, ${r.figures.cloud.parameters} parameters, ${r.figures.cloud.multiplyAdds} multiply-adds.`,
    '',
    '## Offloading',
    '',
    `Threshold **${num(m.offload.threshold, 4)}** (${m.offload.rule}): ${pct(m.offload.expectedOffloadFraction)} of held-out gestures offloaded, cascade accuracy ${pct(r.cascade.accuracy)} vs cloud-only ${pct(cloudOnly)} and edge-only ${pct(edgeOnly)} (pooled). ` +
      `Share of the edge-cloud gap recovered: ${recovered(0.1)} at 10 % offload, ${recovered(0.2)} at 20 %.` +
      (m.offload.personal
        ? ` Fine-tuned for its user, the model keeps this threshold and offloads about ${pct(m.offload.personal.expectedOffloadFraction)} of that user's gestures (personalisation curve, ${m.offload.personal.ownPerClass} own recordings per class).`
        : ''),
    '',
    '![accuracy vs offload fraction](offload.svg)',
    '',
    '## Calibration',
    '',
    `Temperatures fitted on held-out people and folded into the exported last layers: edge T = ${num(r.figures.edge.temperature)}, cloud T = ${num(r.figures.cloud.temperature)}. ` +
      'ECE "after" uses the exported temperature on the held-out predictions it was fitted on; "cross-fitted" fits each fold\'s temperature on the other folds only (stricter). ECE: 10 equal-width bins of top-class confidence.',
    '',
    '![reliability diagram](reliability.svg)',
    '',
    '## Confusion matrices (held-out)',
    '',
    '![edge](confusion-edge.svg) ![cloud](confusion-cloud.svg) ![cascade](confusion-cascade.svg)',
    '',
    '## Per held-out person',
    '',
    markdownTable(perGroupRows),
    '',
  ];
  const apart = (g: string) => {
    const s = r.separability[g];
    return s ? `${(s.agreement * 100).toFixed(0)} %${separabilityWarning(s) ? ' (look alike)' : ''}` : '-';
  };
  const qualityRows = Object.entries(r.suspect).map(([g, s]) => [g, String(s.recordings), String(s.suspect), Object.entries(s.codes).map(([code, n]) => `${code}: ${n}`).join(', ') || '-', apart(g)]);
  lines.push(
    '## Recording quality',
    '',
    `Recordings with quality warnings (\`recordingWarnings\`, gesture/src/quality.ts: board range, no motion, shaking) per person; training \`--suspect ${options.suspect}\`: edge ${r.suspectPolicies.edge}, cloud ${r.suspectPolicies.cloud} ` +
      '(held-out people are always scored on all their recordings; own recordings, `personal:`, are all fine-tuned on). ' +
      `"Gestures tell apart": how often a recording's nearest neighbour among the person's own shows the same gesture (gesture/src/separability.ts; "-": fewer than ${SEPARABILITY_RULES.minPerClass} per class); ` +
      `below ${SEPARABILITY_RULES.minAgreement * 100} % they look alike, and models trained on them confuse them too (training/README.md, "Broken captures"). Worth recording again rather than guessing.`,
    '',
    markdownTable([['person', 'recordings', 'suspect', 'warnings', 'gestures tell apart'], ...qualityRows]),
    '',
    ...(r.data.rejected.length > 0 ? ['Rejected files (not read):', '', ...r.data.rejected.map((x) => `- \`${x.path}\`: ${x.reason}`), ''] : []),
  );
  if (r.personal.length > 0) {
    lines.push(
      '## Accuracy vs own recordings',
      '',
      `Each held-out person with enough recordings: the fold's model is made theirs as \`--personal\` does, fine-tuned for ${FINE_TUNE.epochs} epochs with k of their recordings per class at ${FINE_TUNE.personalShare * 100} % of draws` +
        `${RECIPES[options.model].cloud.personalLevel ? ' (the cloud\'s input first gains ln(RMS) as a channel, its weights starting at zero)' : ''}; the rest are tested (the same test set for every k). The cascade keeps the class model's temperatures and threshold, as a personal model does.`,
      '',
      markdownTable([
        ['own recordings per class', 'people', 'edge', 'cloud', 'cascade', 'offloaded'],
        ...r.personal.map((p) => [String(p.perClass), String(p.people), pct(p.edge), pct(p.cloud), pct(p.cascade), pct(p.offloadFraction)]),
      ]),
      '',
      '![accuracy vs own recordings](personalisation.svg)',
      '',
    );
  }
  lines.push(
    '## Export',
    '',
    `- Final models trained on all ${r.data.examples.length} recordings in ${r.finalTrainingSeconds.toFixed(1)} s (edge + cloud, tfjs wasm backend).`,
    `- onnxruntime-node vs TensorFlow.js, largest probability difference on 256 windows: ${r.parityMaxAbsDiff.toExponential(2)}.`,
    `- Files: cloud.onnx ${size('cloud.onnx')}, edge.onnx ${size('edge.onnx')}, edge_model.h ${size('edge_model.h')}, golden.json ${size('golden.json')}.`,
    '- Preprocessing is in model.json (`models.*.preprocessing`), applied by the service, the evaluator and the firmware alike.',
    '',
    '## Time per stage',
    '',
    'Wall time on the machine that ran the training (inflated when other jobs share its cores); "fitting" rows are included in the cross-validation row below them.',
    '',
    markdownTable(stageTimeRows(r)),
    '',
  );
  writeFileSync(join(out, 'report.md'), lines.join('\n'));
}
