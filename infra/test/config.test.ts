import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, loadStackConfig } from '../config/load';
import { DEFAULT_MIN_ACCURACY } from '../config/schema';
import { makeFixtures } from './helpers/fixtures';

const fixtures = makeFixtures();
const valid: Record<string, string> = {
  'wandcloud:owner': 'jdoe42',
  'wandcloud:expiresOn': '2026-06-30',
  'wandcloud:githubRepo': 'jdoe42/magic-wand',
  'wandcloud:modelDir': fixtures.modelDir,
  'wandcloud:servicePackage': fixtures.servicePackage,
};

/** The clock the tests run at: the roster's and example's dates stay in the future whatever day CI runs. */
const TODAY = new Date('2026-03-14T10:00:00Z');

const load = (values: Record<string, string | undefined>, today = TODAY) =>
  loadStackConfig((key) => ({ ...valid, ...values })[key], { stack: 'dev', rootDir: fixtures.root, today });

function problemsOf(values: Record<string, string | undefined>): string[] {
  try {
    load(values);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('stack configuration', () => {
  it('applies the documented defaults', () => {
    const cfg = load({});
    expect(cfg).toMatchObject({
      location: 'westus2',
      course: 'techin515',
      githubBranch: 'main',
      githubIdentity: 'managedIdentity',
      computeInstance: true,
      computeIdleShutdownMinutes: 30,
      computeNightlyStopTime: '22:00',
      appServicePlanId: undefined,
      budgetAmount: undefined,
      budgetEmails: [],
      minAccuracy: 0.7,
      stack: 'dev',
    });
  });

  it('resolves relative paths against the project root', () => {
    const cfg = load({ 'wandcloud:modelDir': 'model', 'wandcloud:servicePackage': 'service-package.zip' });
    expect(cfg.modelDir).toBe(join(fixtures.root, 'model'));
    expect(cfg.servicePackage).toBe(join(fixtures.root, 'service-package.zip'));
  });

  it('parses typed values: numbers, booleans, e-mail lists as YAML lists or comma-separated', () => {
    const cfg = load({
      'wandcloud:computeInstance': 'false',
      'wandcloud:computeIdleShutdownMinutes': '4320',
      'wandcloud:budgetAmount': '20.5',
      'wandcloud:budgetEmails': '["a@example.edu","b@example.edu"]',
    });
    expect(cfg).toMatchObject({ computeInstance: false, computeIdleShutdownMinutes: 4320, budgetAmount: 20.5, budgetEmails: ['a@example.edu', 'b@example.edu'] });
    expect(load({ 'wandcloud:budgetAmount': '5', 'wandcloud:budgetEmails': 'a@example.edu, b@example.edu' }).budgetEmails).toEqual(['a@example.edu', 'b@example.edu']);
  });

  it.each([
    ['wandcloud:owner', undefined, 'wandcloud:owner: is required'],
    ['wandcloud:owner', 'John.Doe', 'wandcloud:owner: must be 2-20 lowercase letters and digits'],
    ['wandcloud:expiresOn', '30/06/2026', 'wandcloud:expiresOn: must be a date written YYYY-MM-DD'],
    ['wandcloud:expiresOn', '2026-02-30', 'wandcloud:expiresOn: must be a real calendar date'],
    ['wandcloud:githubRepo', 'magic-wand', 'wandcloud:githubRepo: must be owner/name'],
    ['wandcloud:githubIdentity', 'password', 'wandcloud:githubIdentity: must be managedIdentity or entraApplication'],
    ['wandcloud:computeInstance', 'yes', 'wandcloud:computeInstance: must be true or false'],
    ['wandcloud:computeIdleShutdownMinutes', '10', 'wandcloud:computeIdleShutdownMinutes: must be a whole number from 15 to 4320'],
    ['wandcloud:computeIdleShutdownMinutes', '4321', 'wandcloud:computeIdleShutdownMinutes: must be a whole number from 15 to 4320'],
    ['wandcloud:computeIdleShutdownMinutes', 'thirty', 'wandcloud:computeIdleShutdownMinutes: must be a whole number from 15 to 4320'],
    ['wandcloud:computeIdleShutdownMinutes', '30.5', 'wandcloud:computeIdleShutdownMinutes: must be a whole number from 15 to 4320'],
    ['wandcloud:computeNightlyStopTime', '25:00', 'wandcloud:computeNightlyStopTime: must be a 24-hour time HH:MM'],
    ['wandcloud:computeVmSize', 'DS11', 'wandcloud:computeVmSize: must be an Azure VM size'],
    ['wandcloud:studentObjectId', 'jdoe42@example.edu', "wandcloud:studentObjectId: must be the student's Entra objectId, a GUID"],
    ['wandcloud:modelVersion', 'e64aa253b480-s1-88a0d1c8', 'wandcloud:modelVersion: must be a registered model version: a positive whole number'],
    ['wandcloud:modelVersion', '0', 'wandcloud:modelVersion: must be a registered model version: a positive whole number'],
    ['wandcloud:expiresOn', '2026-03-13', 'wandcloud:expiresOn: must be a date after today (2026-03-14)'],
    ['wandcloud:expiresOn', '2026-03-14', 'wandcloud:expiresOn: must be a date after today (2026-03-14)'],
    ['wandcloud:classPool', 'https://wandclass.blob.core.windows.net/pool', 'wandcloud:classPool: must be <storage account>/<container>'],
    ['wandcloud:appServicePlanId', 'plan-class', 'wandcloud:appServicePlanId: must be the resource id of an App Service plan'],
    ['wandcloud:budgetAmount', '-5', 'wandcloud:budgetAmount: must be a positive amount of money'],
    ['wandcloud:budgetAmount', '20', 'wandcloud:budgetEmails: is required when budgetAmount is set'],
    ['wandcloud:servicePackage', 'dist/service.tar', 'wandcloud:servicePackage: must be a .zip file'],
    ['wandcloud:minAccuracy', '0', 'wandcloud:minAccuracy: must be a number greater than 0 and at most 1'],
    ['wandcloud:minAccuracy', '75', 'wandcloud:minAccuracy: must be a number greater than 0 and at most 1'],
    ['wandcloud:minAccuracy', '1.01', 'wandcloud:minAccuracy: must be a number greater than 0 and at most 1'],
    ['wandcloud:minAccuracy', '0,75', 'wandcloud:minAccuracy: must be a number greater than 0 and at most 1'],
    ['wandcloud:minAccuracy', 'seventy', 'wandcloud:minAccuracy: must be a number greater than 0 and at most 1'],
    ['wandcloud:apiKey', 'short', 'wandcloud:apiKey: must be 24-128 letters, digits, - or _'],
    ['azure-native:location', 'West US 2', 'azure-native:location: must be an Azure region name'],
  ])('%s = %j stops with the key and the rule', (key, value, message) => {
    expect(problemsOf({ [key]: value }).join('\n')).toContain(message);
  });

  it('accepts an expiry from tomorrow on, judged by the clock it is given', () => {
    expect(load({ 'wandcloud:expiresOn': '2026-03-15' }).expiresOn).toBe('2026-03-15');
    expect(() => load({ 'wandcloud:expiresOn': '2026-03-15' }, new Date('2026-04-01T00:00:00Z'))).toThrow(/must be a date after today \(2026-04-01\)/);
  });

  it('takes the student as an objectId and a registered version as a whole number', () => {
    const cfg = load({ 'wandcloud:studentObjectId': '44444444-4444-4444-4444-444444444444', 'wandcloud:modelVersion': '12' });
    expect(cfg).toMatchObject({ studentObjectId: '44444444-4444-4444-4444-444444444444', modelVersion: '12' });
  });

  it('reads the gate minimum as a fraction, up to and including 1', () => {
    expect(load({ 'wandcloud:minAccuracy': '0.85' }).minAccuracy).toBe(0.85);
    expect(load({ 'wandcloud:minAccuracy': ' 1 ' }).minAccuracy).toBe(1);
    expect(load({ 'wandcloud:minAccuracy': '' }).minAccuracy).toBe(DEFAULT_MIN_ACCURACY);
  });

  it('is the value the workflow feeds the delivery gate (which validates it with the same schema)', () => {
    const ROOT = join(__dirname, '..', '..');
    const workflow = readFileSync(join(ROOT, '.github', 'workflows', 'train-deploy.yml'), 'utf8');
    expect(workflow).toContain('pulumi config get wandcloud:minAccuracy');
  });

  it('reports every problem at once, not just the first', () => {
    const problems = problemsOf({ 'wandcloud:owner': 'X', 'wandcloud:computeIdleShutdownMinutes': '1' });
    expect(problems).toHaveLength(2);
  });

  it('never echoes a secret value in its message', () => {
    const message = problemsOf({ 'wandcloud:apiKey': 'has spaces but is a secret value!!' }).join('\n');
    expect(message).not.toContain('secret value');
  });

  it('stops when the model folder or the service package is missing, saying what to run', () => {
    expect(problemsOf({ 'wandcloud:modelDir': 'nowhere' }).join('\n')).toMatch(/^wandcloud:modelDir: must be a folder containing model\.json/);
    expect(problemsOf({ 'wandcloud:servicePackage': 'missing.zip' }).join('\n')).toMatch(/^wandcloud:servicePackage: .*npm run package/);
  });
});
