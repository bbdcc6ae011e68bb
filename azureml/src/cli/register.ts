import { parseArgs } from 'node:util';
import { runCli } from '../../../delivery/src/cli/run';
import { readModelFolder } from '../registry/modelFolder';
import { provenanceTags } from '../registry/provenance';
import { connectRegistry, readStackOutputs, stackOptions, stackSource } from './connect';

const USAGE = 'usage: npm run register -- --stack <stack> | --outputs <outputs.json> --model <dir> [--json]';

/**
 * Registers an exported model folder in the stack's Azure ML registry: the version that already holds it,
 * or the next integer version. Prints the version (with --json: {name, version, created, modelUri, contentSha256}).
 */
async function main(): Promise<number> {
  const { values } = parseArgs({ options: { ...stackOptions, model: { type: 'string' }, json: { type: 'boolean', default: false } } });
  if (!values.model) {
    console.error(USAGE);
    return 2;
  }
  const source = stackSource(values);
  const folder = readModelFolder(values.model);
  const outputs = readStackOutputs(source);
  if (folder.manifest.name !== outputs.modelName) {
    throw new Error(`${values.model} is model "${folder.manifest.name}", the stack registers "${outputs.modelName}": train with --name ${outputs.modelName}`);
  }
  const registered = await connectRegistry(outputs, 'Uploading').register(folder, provenanceTags(values.model));
  if (values.json) {
    console.log(JSON.stringify({ name: registered.name, version: registered.version, created: registered.created, modelUri: registered.modelUri, contentSha256: folder.contentHash }));
  } else {
    console.log(registered.created ? `registered ${registered.name} version ${registered.version}` : `${registered.name} version ${registered.version} already holds this folder: nothing registered`);
  }
  return 0;
}

runCli('register', main);
