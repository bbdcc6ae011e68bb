import { DefaultAzureCredential } from '@azure/identity';
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { runCli } from './run';
import { fetchDeployedModel } from '../gate/deployedModel';

/**
 * Writes `{"deployed": <the stack's registered model and its held-out metrics> | null}` for the gate.
 * The ARM token comes from the signed-in identity (azure/login in the workflow, `az login` locally).
 */
async function main(): Promise<number> {
  const { values } = parseArgs({ options: { outputs: { type: 'string' }, out: { type: 'string' } } });
  if (!values.outputs || !values.out) {
    console.error('usage: tsx delivery/src/cli/deployed-model.ts --outputs <pulumi stack output --json> --out <file>');
    return 2;
  }
  const outputs = JSON.parse(readFileSync(values.outputs, 'utf8')) as Record<string, unknown>;
  const credential = new DefaultAzureCredential();
  const token = async () => (await credential.getToken('https://management.azure.com/.default')).token;
  const deployed = await fetchDeployedModel(outputs, token);
  writeFileSync(values.out, `${JSON.stringify({ deployed }, null, 2)}\n`);
  console.log(deployed ? `deployed: ${deployed.name} ${deployed.version}, cloud accuracy ${deployed.cloudAccuracy} (${deployed.evaluation})` : 'nothing deployed yet');
  return 0;
}

runCli('deployed-model', main);
