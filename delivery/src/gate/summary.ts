import type { ModelManifest } from '../../../gesture/src';
import type { GateDecision } from './decide';

/** The parts of `npm run evaluate -- --json` the summary shows (training/src/evaluate.ts, `Evaluation`). */
export interface EvaluationFigures {
  n: number;
  edge: { accuracy: number; meanOverPeople: number } | null;
  cloud: { accuracy: number; meanOverPeople: number };
  cascade: { accuracy: number; meanOverPeople: number; offloadFraction: number };
  perPerson: Record<string, { n: number; edge: number | null; cloud: number; cascade: number; offloadFraction: number }>;
}

const pct = (v: number | null | undefined): string => (typeof v === 'number' ? `${(v * 100).toFixed(1)} %` : '-');
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const table = (rows: string[][]): string[] => [
  `| ${rows[0].map(cell).join(' | ')} |`,
  `|${rows[0].map(() => '---').join('|')}|`,
  ...rows.slice(1).map((r) => `| ${r.map(cell).join(' | ')} |`),
];

/**
 * The job summary: the gate's verdict, the held-out accuracy table from the manifest, the figures on the
 * repository's data from `npm run evaluate`, and the accuracy-vs-offload chart inline (a data URI, so
 * it needs no hosting; the same SVG is in the model-card artifact).
 */
export function gateSummary(manifest: ModelManifest, decision: GateDecision, evaluation: EvaluationFigures | undefined, offloadSvg: string | undefined): string {
  const m = manifest.metrics as Record<string, Record<string, unknown> | string | undefined>;
  const held = (k: string) => (typeof m[k] === 'object' ? (m[k] as Record<string, unknown>) : {});
  const lines = [
    `## Model ${manifest.name} ${manifest.version}: gate ${decision.pass ? 'passed' : 'FAILED'}`,
    '',
    ...table([['check', 'result', 'detail'], ...decision.checks.map((c) => [c.name, c.pass ? 'pass' : 'FAIL', c.detail])]),
    '',
    `### Held-out accuracy (${manifest.metrics.evaluation})`,
    '',
    ...table([
      ['model', 'accuracy (mean over people)', 'pooled', 'offloaded'],
      ['edge', pct(num(held('edge').accuracy)), pct(num(held('edge').pooledAccuracy)), '0 %'],
      ['cloud', pct(num(held('cloud').accuracy)), pct(num(held('cloud').pooledAccuracy)), '100 %'],
      ['cascade', pct(num(held('cascade').accuracy)), pct(num(held('cascade').pooledAccuracy)), pct(num(held('cascade').offloadFraction))],
    ]),
    '',
    `Offload threshold ${manifest.offload.threshold.toFixed(3)} (${manifest.offload.rule}); ${manifest.data.recordings} recordings from ${manifest.data.people} ${manifest.data.people === 1 ? 'person' : 'people'}.`,
  ];
  if (evaluation) {
    lines.push(
      '',
      `### On the repository's data (npm run evaluate, ${evaluation.n} recordings; includes the training data)`,
      '',
      ...table([
        ['person', 'n', 'edge', 'cloud', 'cascade', 'offloaded'],
        ...Object.entries(evaluation.perPerson).map(([p, f]) => [p, String(f.n), pct(f.edge), pct(f.cloud), pct(f.cascade), pct(f.offloadFraction)]),
        ['all (pooled)', String(evaluation.n), pct(evaluation.edge?.accuracy), pct(evaluation.cloud.accuracy), pct(evaluation.cascade.accuracy), pct(evaluation.cascade.offloadFraction)],
      ]),
    );
  }
  if (offloadSvg) {
    const uri = `data:image/svg+xml;base64,${Buffer.from(offloadSvg).toString('base64')}`;
    lines.push('', '### Accuracy vs offload fraction', '', `<img alt="accuracy vs offload fraction" src="${uri}" width="640">`);
  }
  return `${lines.join('\n')}\n`;
}
