import { ContainerClient } from '@azure/storage-blob';
import { modelsPath, modelVersionResource, TARGET } from '../../azureml/test/helpers/armModels';
import { mlClient } from '../../azureml/src/clients';
import { ModelRegistry } from '../../azureml/src/registry/modelRegistry';
import { ArmReplay, replayCredential, replayOptions, type RecordedExchange } from '../../infra/test/helpers/armReplay';
import { decideGate, isCrossPerson } from '../src/gate/decide';
import { fetchDeployedModel, type DeployedModel } from '../src/gate/deployedModel';
import { gateSummary } from '../src/gate/summary';

const LODO = 'leave-one-dataset-out over 12 datasets (one person each); accuracy = mean over held-out people';
const SAME = 'OPTIMISTIC: stratified 5-fold split of 1 person(s); it does not measure new people';

const candidate = (accuracy: number, evaluation = LODO, labels = ['O', 'V', 'Z']) => ({
  name: 'wand-gestures',
  version: 'abc-s1',
  labels,
  metrics: { evaluation, cloud: { accuracy, pooledAccuracy: accuracy }, cascade: { accuracy: accuracy - 0.01, offloadFraction: 0.2 } },
});
const deployed = (cloudAccuracy: number, evaluation = LODO, labels = ['O', 'V', 'Z']): DeployedModel => ({ name: 'wand-gestures', version: 'old-s1', labels, evaluation, cloudAccuracy });
const failed = (d: ReturnType<typeof decideGate>) => d.checks.filter((c) => !c.pass).map((c) => c.name);

describe('evaluation gate', () => {
  it('passes a cross-person model above the minimum on a first deployment', () => {
    const d = decideGate({ candidate: candidate(0.82), deployed: null, minAccuracy: 0.75 });
    expect(d.pass).toBe(true);
    expect(d.checks.find((c) => c.name === 'not worse than deployed')?.detail).toBe('nothing deployed yet');
  });

  it('fails below the stack minimum, and below the deployed model', () => {
    expect(failed(decideGate({ candidate: candidate(0.7), deployed: null, minAccuracy: 0.75 }))).toEqual(['minimum accuracy']);
    expect(failed(decideGate({ candidate: candidate(0.8), deployed: deployed(0.81), minAccuracy: 0.75 }))).toEqual(['not worse than deployed']);
    expect(decideGate({ candidate: candidate(0.81), deployed: deployed(0.81), minAccuracy: 0.75 }).pass).toBe(true);
  });

  it('a rollback to an earlier version is not held to the deployed figure, still to the minimum', () => {
    expect(failed(decideGate({ candidate: candidate(0.8), deployed: deployed(0.85), minAccuracy: 0.75, rollback: true }))).toEqual([]);
    expect(failed(decideGate({ candidate: candidate(0.7), deployed: deployed(0.85), minAccuracy: 0.75, rollback: true }))).toEqual(['minimum accuracy']);
  });

  it('never lets a same-person figure pass as cross-person', () => {
    expect(failed(decideGate({ candidate: candidate(0.99, SAME), deployed: null, minAccuracy: 0.75 }))).toEqual(['cross-person evaluation']);
    expect(isCrossPerson(LODO)).toBe(true);
  });

  it('does not compare with a deployed model that has other classes or only a same-person figure', () => {
    const otherClasses = decideGate({ candidate: candidate(0.8), deployed: deployed(0.95, LODO, ['O', 'V', 'Z', 'S']), minAccuracy: 0.75 });
    expect(otherClasses.pass).toBe(true);
    expect(otherClasses.checks[2].detail).toContain('not comparable');
    const samePerson = decideGate({ candidate: candidate(0.8), deployed: deployed(0.99, SAME), minAccuracy: 0.75 });
    expect(samePerson.pass).toBe(true);
    expect(samePerson.checks[2].detail).toContain('same-person');
    // Label order differs only: the same classes, so the figures are comparable.
    expect(failed(decideGate({ candidate: candidate(0.8), deployed: deployed(0.9, LODO, ['z', 'o', 'v']), minAccuracy: 0.75 }))).toEqual(['not worse than deployed']);
  });
});

describe('deployed model lookup (the stack\'s modelVersion in the Azure ML registry, recorded ARM answers)', () => {
  const outputs = { modelName: 'wand-gestures', modelVersion: '4' };
  const registryAnswering = (exchanges: RecordedExchange[]) =>
    new ModelRegistry({
      client: mlClient(replayCredential, TARGET.subscriptionId, replayOptions(new ArmReplay(exchanges))),
      container: new ContainerClient('https://unused.blob.core.windows.net/models'),
      target: TARGET,
    });
  const getVersion = (status: number, body: unknown): RecordedExchange => ({ method: 'GET', path: `${modelsPath('wand-gestures')}/4`, apiVersion: '2024-10-01', status, body });

  it('treats a stack without a registered (integer) version as never deployed', async () => {
    const none = registryAnswering([]);
    await expect(fetchDeployedModel(none, { modelName: 'wand-gestures' })).resolves.toBeNull();
    await expect(fetchDeployedModel(none, { modelName: 'wand-gestures', modelVersion: 'e64aa253b480-s1-88a0d1c8' })).resolves.toBeNull();
  });

  it('reads the deployed version and its metric tags through the client library', async () => {
    const tags = { labels: 'O,V,Z', 'metrics.evaluation': LODO, 'metrics.cloud.accuracy': '0.8123', owner: 'jdoe42' };
    const registry = registryAnswering([getVersion(200, modelVersionResource('wand-gestures', { version: '4', tags }))]);
    await expect(fetchDeployedModel(registry, outputs)).resolves.toEqual({ name: 'wand-gestures', version: '4', labels: ['O', 'V', 'Z'], evaluation: LODO, cloudAccuracy: 0.8123 });
  });

  it('fails loudly when the registry answers an error or the version has no metric tags', async () => {
    const denied = registryAnswering([getVersion(403, { error: { code: 'AuthorizationFailed', message: 'no read access' } })]);
    await expect(fetchDeployedModel(denied, outputs)).rejects.toThrow('no read access');
    const bare = registryAnswering([getVersion(200, modelVersionResource('wand-gestures', { version: '4', tags: { labels: 'O,V,Z' } }))]);
    await expect(fetchDeployedModel(bare, outputs)).rejects.toThrow('no held-out metrics');
  });
});

describe('job summary', () => {
  it('shows the verdict, the accuracy table, per-person figures and the chart inline', () => {
    const manifest = {
      ...candidate(0.82),
      offload: { threshold: 0.81, rule: 'target', expectedOffloadFraction: 0.2 },
      data: { recordings: 900, people: 9 },
    } as unknown as Parameters<typeof gateSummary>[0];
    const decision = decideGate({ candidate: manifest, deployed: null, minAccuracy: 0.75 });
    const evaluation = {
      n: 10,
      edge: { accuracy: 0.7, meanOverPeople: 0.7 },
      cloud: { accuracy: 0.9, meanOverPeople: 0.9 },
      cascade: { accuracy: 0.85, meanOverPeople: 0.85, offloadFraction: 0.3 },
      perPerson: { 'sample/cherry': { n: 10, edge: 0.7, cloud: 0.9, cascade: 0.85, offloadFraction: 0.3 } },
    };
    const md = gateSummary(manifest, decision, evaluation, '<svg xmlns="http://www.w3.org/2000/svg"></svg>');
    expect(md).toContain('gate passed');
    expect(md).toContain('| cloud | 82.0 % | 82.0 % | 100 % |');
    expect(md).toContain('| sample/cherry | 10 | 70.0 % | 90.0 % | 85.0 % | 30.0 % |');
    expect(md).toContain(`src="data:image/svg+xml;base64,${Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"></svg>').toString('base64')}"`);
  });
});
