import { labelKey, type ModelManifest } from '../../../gesture/src';
import type { DeployedModel } from './deployedModel';

/**
 * The evaluation gate. A model may be deployed when its held-out, cross-person cloud accuracy (the
 * manifest's `metrics.cloud.accuracy`, measured on people left out of training) reaches the stack's
 * minimum and is not below the model deployed now. Figures are compared only like with like: a
 * same-person ("OPTIMISTIC") figure never passes as cross-person, and a deployed model with other
 * classes or a same-person figure is reported as not comparable rather than compared.
 */
export interface GateInput {
  candidate: Pick<ModelManifest, 'name' | 'version' | 'labels' | 'metrics'>;
  deployed: DeployedModel | null;
  minAccuracy: number;
  /** Deploying an earlier registered version on purpose: it is not held to the deployed one's figure. */
  rollback?: boolean;
}

export interface GateCheck {
  name: string;
  pass: boolean;
  detail: string;
}

export interface GateDecision {
  pass: boolean;
  checks: GateCheck[];
}

/** The training writes this prefix when it could not hold people out (fewer than two in the data). */
export const isCrossPerson = (evaluation: string): boolean => !/^OPTIMISTIC/i.test(evaluation.trim());

const pct = (x: number): string => `${(x * 100).toFixed(1)} %`;

const sameClasses = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((l) => b.some((m) => labelKey(m) === labelKey(l)));

export function decideGate({ candidate, deployed, minAccuracy, rollback = false }: GateInput): GateDecision {
  const accuracy = candidate.metrics.cloud.accuracy;
  const crossPerson = isCrossPerson(candidate.metrics.evaluation);
  const checks: GateCheck[] = [
    {
      name: 'cross-person evaluation',
      pass: crossPerson,
      detail: crossPerson
        ? candidate.metrics.evaluation
        : `${candidate.metrics.evaluation}. Add recordings of at least one more person to data/ (npm run data:download pools a class's recordings)`,
    },
    {
      name: 'minimum accuracy',
      pass: accuracy >= minAccuracy,
      detail: `${pct(accuracy)} ${accuracy >= minAccuracy ? '>=' : '<'} ${pct(minAccuracy)} (wandcloud:minAccuracy)`,
    },
  ];
  if (deployed === null) {
    checks.push({ name: 'not worse than deployed', pass: true, detail: 'nothing deployed yet' });
  } else if (rollback) {
    checks.push({ name: 'not worse than deployed', pass: true, detail: `rollback from ${deployed.name} ${deployed.version}: not compared` });
  } else if (!sameClasses(candidate.labels, deployed.labels)) {
    checks.push({ name: 'not worse than deployed', pass: true, detail: `not comparable: deployed ${deployed.version} has classes ${deployed.labels.join(', ')}` });
  } else if (!isCrossPerson(deployed.evaluation)) {
    checks.push({ name: 'not worse than deployed', pass: true, detail: `not comparable: deployed ${deployed.version} has only a same-person figure` });
  } else {
    const pass = accuracy >= deployed.cloudAccuracy;
    checks.push({ name: 'not worse than deployed', pass, detail: `${pct(accuracy)} ${pass ? '>=' : '<'} ${pct(deployed.cloudAccuracy)} of ${deployed.name} ${deployed.version}` });
  }
  return { pass: checks.every((c) => c.pass), checks };
}
