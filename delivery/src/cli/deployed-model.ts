import { parseArgs } from 'node:util';
import { writeFileSync } from 'node:fs';
import { connectRegistry } from '../../../azureml/src/cli/connect';
import { readStackOutputs } from '../../../azureml/src/stack/outputs';
import { runCli } from './run';
import { fetchDeployedModel } from '../gate/deployedModel';

/**
 * Writes `{"deployed": <the stack's registered model version and its held-out metrics> | null}` for the gate.
 * The identity is the signed-in one (azure/login in the workflow, `az login` locally).
 */
async function main(): Promise<number> {
  const { values } = parseArgs({ options: { outputs: { type: 'string' }, out: { type: 'string' } } });
  if (!values.outputs || !values.out) {
    console.error('usage: tsx delivery/src/cli/deployed-model.ts --outputs <pulumi stack output --json> --out <file>');
    return 2;
  }
  const outputs = readStackOutputs({ outputsFile: values.outputs });
  const deployed = await fetchDeployedModel(connectRegistry(outputs, 'Reading'), outputs);
  writeFileSync(values.out, `${JSON.stringify({ deployed }, null, 2)}\n`);
  console.log(deployed ? `deployed: ${deployed.name} ${deployed.version}, cloud accuracy ${deployed.cloudAccuracy} (${deployed.evaluation})` : 'nothing registered deployed yet');
  return 0;
}

runCli('deployed-model', main);
