import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StackConfig } from '../../config/schema';

export const FINGERPRINT = 'ab'.repeat(32);

/** A manifest that gesture's ModelManifestSchema accepts. */
export function manifestJson(version = '3'): Record<string, unknown> {
  const model = (file: string) => ({
    file,
    inputName: 'input',
    outputName: 'probabilities',
    inputShape: [100, 3],
    preprocessing: [{ op: 'gravityAlign' }],
    temperature: 1.3,
    parameters: 33000,
    architecture: 'cnn',
  });
  return {
    schemaVersion: 1,
    name: 'wand-gestures',
    version,
    createdAt: '2026-03-01T12:00:00Z',
    labels: ['O', 'V', 'Z'],
    input: { sampleRateHz: 100, windowLength: 100, channels: ['x', 'y', 'z'], units: 'm/s^2' },
    models: { cloud: model('cloud.onnx'), edge: { ...model('edge.onnx'), header: 'edge_model.h' } },
    offload: { threshold: 0.8, rule: 'budget', expectedOffloadFraction: 0.15 },
    metrics: { evaluation: 'leave-one-person-out', cloud: { accuracy: 0.87 }, edge: { accuracy: 0.82 }, cascade: { accuracy: 0.86 } },
    data: { fingerprint: FINGERPRINT, recordings: 940, people: 12, classes: { O: 300, V: 320, Z: 320 } },
  };
}

/** A temporary exported model folder and service zip, so tests never depend on models/default or dist/. */
export function makeFixtures(version = '3'): { root: string; modelDir: string; servicePackage: string } {
  const root = mkdtempSync(join(tmpdir(), 'wand-infra-'));
  const modelDir = join(root, 'model');
  mkdirSync(join(modelDir, 'images'), { recursive: true });
  writeFileSync(join(modelDir, 'model.json'), JSON.stringify(manifestJson(version)));
  writeFileSync(join(modelDir, 'cloud.onnx'), Buffer.from([8, 1, 2, 3]));
  writeFileSync(join(modelDir, 'edge.onnx'), Buffer.from([8, 4, 5, 6]));
  writeFileSync(join(modelDir, 'edge_model.h'), 'const unsigned char model[] = {8};\n');
  writeFileSync(join(modelDir, 'report.md'), '# Report\n');
  writeFileSync(join(modelDir, 'images', 'confusion.png'), Buffer.from([0x89, 0x50]));
  const servicePackage = join(root, 'service-package.zip');
  writeFileSync(servicePackage, Buffer.from('PK\x05\x06' + '\0'.repeat(18), 'binary'));
  return { root, modelDir, servicePackage };
}

/** A valid configuration with the paths pointing at fixtures. */
export function testConfig(overrides: Partial<StackConfig> = {}): StackConfig {
  const { modelDir, servicePackage } = makeFixtures();
  return {
    stack: 'dev',
    location: 'westus2',
    owner: 'jdoe42',
    course: 'techin515',
    expiresOn: '2026-06-30',
    githubRepo: 'jdoe42/magic-wand',
    githubBranch: 'main',
    githubIdentity: 'managedIdentity',
    preflight: false,
    computeInstance: true,
    computeVmSize: 'Standard_DS11_v2',
    computeIdleShutdownMinutes: 30,
    computeNightlyStopTime: '22:00',
    computeTimeZone: 'Pacific Standard Time',
    studentObjectId: undefined,
    appServicePlanId: undefined,
    classPool: undefined,
    budgetAmount: undefined,
    budgetEmails: [],
    modelDir,
    servicePackage,
    minAccuracy: 0.7,
    modelVersion: undefined,
    apiKey: undefined,
    ...overrides,
  };
}
