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

const load = (values: Record<string, string | undefined>) =>
  loadStackConfig((key) => ({ ...valid, ...values })[key], { stack: 'dev', rootDir: fixtures.root });

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
    ['wandcloud:computeAssignedUser', 'not a user', 'wandcloud:computeAssignedUser: must be a user objectId (GUID) or user principal name'],
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
