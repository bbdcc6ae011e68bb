import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { parse } from 'yaml';
import { installMocks, isSecretOutput, outputOf } from './helpers/pulumiMocks';
import { makeFixtures } from './helpers/fixtures';
import { checkPolicies, formatViolations } from '../policy/rules';

const ROOT = join(__dirname, '..', '..');

/** Pulumi.dev.yaml with the two build paths pointed at fixtures (they do not exist in a fresh clone). */
function exampleConfig(): Record<string, string> {
  const dev = parse(readFileSync(join(ROOT, 'Pulumi.dev.yaml'), 'utf8')) as { config: Record<string, unknown> };
  const { modelDir, servicePackage } = makeFixtures();
  const config: Record<string, string> = {};
  for (const [key, value] of Object.entries(dev.config)) config[key] = typeof value === 'string' ? value : JSON.stringify(value);
  // No Azure here: the preflight that `pulumi up` runs first is tested against recorded responses instead.
  return { ...config, 'wandcloud:modelDir': modelDir, 'wandcloud:servicePackage': servicePackage, 'wandcloud:preflight': 'false' };
}

// The example's expiry must be after "today"; the tests hold the clock so that stays true whenever CI runs.
beforeAll(() => jest.useFakeTimers({ now: new Date('2026-12-03T12:00:00Z'), doNotFake: ['setTimeout', 'setInterval', 'setImmediate', 'nextTick', 'queueMicrotask', 'clearTimeout', 'clearInterval', 'clearImmediate', 'hrtime', 'performance'] }));
afterAll(() => jest.useRealTimers());
beforeEach(() => jest.resetModules());

describe('the Pulumi program on Pulumi.dev.yaml', () => {
  it('refuses the example as shipped, before declaring anything: it has no owner', async () => {
    const mocks = installMocks('dev');
    pulumi.runtime.setAllConfig(exampleConfig());
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    expect(() => require('../index')).toThrow(/wandcloud:owner: is required/);
    expect(await mocks.settled()).toEqual([]);
  });

  it('refuses an expiry date that has passed, before declaring anything', async () => {
    const mocks = installMocks('dev');
    pulumi.runtime.setAllConfig({ ...exampleConfig(), 'wandcloud:owner': 'jdoe42', 'wandcloud:expiresOn': '2026-12-01' });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    expect(() => require('../index')).toThrow(/wandcloud:expiresOn: must be a date after today/);
    expect(await mocks.settled()).toEqual([]);
  });

  it('loads the example once the student sets an owner, declares the stack and exports its outputs', async () => {
    const mocks = installMocks('dev');
    const project = parse(readFileSync(join(ROOT, 'Pulumi.yaml'), 'utf8')) as { name: string; main: string; config: Record<string, { value: string }> };
    expect(project).toMatchObject({ name: 'wandcloud', main: 'infra/' });
    pulumi.runtime.setAllConfig({ ...exampleConfig(), 'wandcloud:owner': 'jdoe42' });

    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const program = require('../index') as Record<string, pulumi.Output<unknown>>;
    const records = await mocks.settled();
    const violations = checkPolicies({ resources: records, knownSecrets: ['generated-api-key-0123456789abcdefghijklmnop'] });
    if (violations.length > 0) throw new Error(formatViolations(violations));

    expect(records.length).toBeGreaterThan(30);
    expect(await outputOf(program.predictUrl)).toMatch(/^https:\/\/wand-jdoe42-dev-[a-z0-9]{6}\.azurewebsites\.net\/predict$/);
    expect(await outputOf(program.githubClientId)).toBe('identity-client-id');
    expect(await isSecretOutput(program.apiKey)).toBe(true);
    for (const name of ['appUrl', 'workspaceName', 'datastoreName', 'dataAssetName', 'modelName', 'modelVersion', 'keyVaultName', 'logAnalyticsName', 'location', 'githubTenantId', 'githubSubscriptionId']) {
      expect(await outputOf(program[name])).toEqual(expect.any(String));
    }
  });
});
