import { parseArgs } from 'node:util';
import { runCli } from '../../../delivery/src/cli/run';
import { parseVersionArgument } from '../registry/versionNumbers';
import { connectRegistry, readStackOutputs, stackOptions, stackSource } from './connect';

const USAGE = 'usage: npm run model:download -- --stack <stack> | --outputs <outputs.json> --version N --out <new dir> [--name <model>]';

/** Downloads a registered version, checks it against its content hash and writes registry.json beside it. */
async function main(): Promise<number> {
  const { values } = parseArgs({ options: { ...stackOptions, version: { type: 'string' }, out: { type: 'string' }, name: { type: 'string' } } });
  if (!values.out) {
    console.error(USAGE);
    return 2;
  }
  const version = parseVersionArgument(values.version);
  const outputs = readStackOutputs(stackSource(values));
  const name = values.name ?? outputs.modelName;
  const registered = await connectRegistry(outputs, 'Downloading').download(name, version, values.out);
  console.log(`${values.out}: ${name} version ${version} (${registered.tags['metrics.evaluation'] ?? 'no evaluation tag'}, cloud accuracy ${registered.tags['metrics.cloud.accuracy'] ?? '?'})`);
  return 0;
}

runCli('model:download', main);
