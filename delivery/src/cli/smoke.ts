import { appendFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { runCli } from './run';
import { readDatasets } from '../../../gesture/src';
import { pickPerClass, smokeTest, SmokeError } from '../smoke';

const USAGE = 'usage: tsx delivery/src/cli/smoke.ts --url <https://app> [--data data/sample] [--per-class 2] [--timeout-s 300] [--summary <file>] [--model-version N]   (API key: env WAND_API_KEY)';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      url: { type: 'string' },
      data: { type: 'string', default: 'data/sample' },
      'per-class': { type: 'string', default: '2' },
      'timeout-s': { type: 'string', default: '300' },
      summary: { type: 'string' },
      'model-version': { type: 'string' },
    },
  });
  const perClass = Number(values['per-class']);
  const timeoutS = Number(values['timeout-s']);
  if (!values.url || !/^https?:\/\//.test(values.url) || !(perClass >= 1) || !(timeoutS > 0)) {
    console.error(USAGE);
    return 2;
  }
  const recordings = pickPerClass(readDatasets(values.data).recordings, perClass);
  const result = await smokeTest({
    baseUrl: values.url,
    apiKey: process.env.WAND_API_KEY || undefined,
    recordings,
    readyTimeoutMs: timeoutS * 1000,
    pollIntervalMs: 5000,
    expectVersion: values['model-version'],
  });
  const lines = [
    `ready after ${(result.readyAfterMs / 1000).toFixed(1)} s; ${result.correct}/${result.predictions.length} recordings classified correctly`,
    ...result.predictions.map((p) => `  ${p.label} -> ${p.gesture} (${p.confidence.toFixed(1)} %)  ${p.path}`),
  ];
  console.log(lines.join('\n'));
  if (values.summary) appendFileSync(values.summary, `### Smoke test of ${values.url}\n\n\`\`\`\n${lines.join('\n')}\n\`\`\`\n`);
  return 0;
}

runCli('smoke test failed', main, (err) => err instanceof SmokeError);
