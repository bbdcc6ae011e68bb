import { appendFileSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { runCli } from './run';
import { formatLeftovers, teardownLeftovers } from '../../../infra/teardown/leftovers';

/**
 * Prints what a teardown left and the command that removes each thing (and appends it to the job summary).
 * `tsx delivery/src/cli/leftovers.ts --stack S --outputs outputs.json [--backend-url URL]
 *   --key-vault-purged true|false --stack-removed true|false [--summary FILE]`
 */
async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      stack: { type: 'string' },
      outputs: { type: 'string' },
      'backend-url': { type: 'string' },
      'key-vault-purged': { type: 'string' },
      'stack-removed': { type: 'string' },
      summary: { type: 'string' },
    },
  });
  const flag = (v: string | undefined) => (v === 'true' ? true : v === 'false' ? false : undefined);
  const keyVaultPurged = flag(values['key-vault-purged']);
  const stackRemoved = flag(values['stack-removed']);
  if (!values.stack || !values.outputs || keyVaultPurged === undefined || stackRemoved === undefined) {
    console.error('usage: tsx delivery/src/cli/leftovers.ts --stack S --outputs outputs.json [--backend-url URL] --key-vault-purged true|false --stack-removed true|false [--summary FILE]');
    return 2;
  }
  const outputs = JSON.parse(readFileSync(values.outputs, 'utf8')) as Record<string, unknown>;
  const text = formatLeftovers(values.stack, teardownLeftovers({ stack: values.stack, outputs, backendUrl: values['backend-url'], keyVaultPurged, stackRemoved }));
  console.log(text);
  if (values.summary) appendFileSync(values.summary, `\n${text.replace(/^ {4}(.*)$/gm, '    `$1`')}\n`);
  return 0;
}

runCli('leftovers', main);
