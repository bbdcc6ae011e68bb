import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { parse } from 'yaml';
import { installMocks, isSecretOutput, outputOf } from './helpers/pulumiMocks';
import { makeFixtures } from './helpers/fixtures';
import { checkPolicies, formatViolations } from '../policy/rules';

const ROOT = join(__dirname, '..', '..');

describe('the Pulumi program on Pulumi.dev.yaml', () => {
  it('loads the example configuration, declares the stack and exports its outputs', async () => {
    const mocks = installMocks('dev');
    const project = parse(readFileSync(join(ROOT, 'Pulumi.yaml'), 'utf8')) as { name: string; main: string; config: Record<string, { value: string }> };
    expect(project).toMatchObject({ name: 'wandcloud', main: 'infra/' });
    const dev = parse(readFileSync(join(ROOT, 'Pulumi.dev.yaml'), 'utf8')) as { config: Record<string, unknown> };
    const { modelDir, servicePackage } = makeFixtures();
    // The build outputs do not exist in a fresh clone: point the two paths at fixtures, keep every other value.
    const config: Record<string, string> = {};
    for (const [key, value] of Object.entries(dev.config)) config[key] = typeof value === 'string' ? value : JSON.stringify(value);
    Object.assign(config, { 'wandcloud:modelDir': modelDir, 'wandcloud:servicePackage': servicePackage });
    pulumi.runtime.setAllConfig(config);

    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const program = require('../index') as Record<string, pulumi.Output<unknown>>;
    const records = await mocks.settled();
    const violations = checkPolicies({ resources: records, knownSecrets: ['generated-api-key-0123456789abcdefghijklmnop'] });
    if (violations.length > 0) throw new Error(formatViolations(violations));

    expect(records.length).toBeGreaterThan(30);
    expect(await outputOf(program.predictUrl)).toMatch(/^https:\/\/wand-jdoe42-dev-[a-z0-9]{6}\.azurewebsites\.net\/predict$/);
    expect(await outputOf(program.githubClientId)).toBe('identity-client-id');
    expect(await isSecretOutput(program.apiKey)).toBe(true);
    for (const name of ['appUrl', 'workspaceName', 'datastoreName', 'dataAssetName', 'modelName', 'modelVersion', 'computeInstanceName', 'githubTenantId', 'githubSubscriptionId']) {
      expect(await outputOf(program[name])).toEqual(expect.any(String));
    }
  });
});
