import { parseArgs } from 'node:util';
import { runCli } from '../../../delivery/src/cli/run';
import { describeDataUsed, writeDataUsed, type DataInput } from '../job/dataUsed';

const USAGE = 'usage: npm run data:used -- --out <model dir> --input <name>=<dir> --uri <name>=<azureml://...> [...]';

function pairs(list: string[] | undefined, flag: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const item of list ?? []) {
    const at = item.indexOf('=');
    if (at <= 0) throw new Error(`${flag} takes <name>=<value>, got "${item}"`);
    map.set(item.slice(0, at), item.slice(at + 1));
  }
  return map;
}

/** Writes the model folder's data-used.json: which recordings (blob path, sha256) the training read. */
async function main(): Promise<number> {
  const { values } = parseArgs({ options: { out: { type: 'string' }, input: { type: 'string', multiple: true }, uri: { type: 'string', multiple: true } } });
  const dirs = pairs(values.input, '--input');
  const uris = pairs(values.uri, '--uri');
  if (!values.out || dirs.size === 0) {
    console.error(USAGE);
    return 2;
  }
  const inputs: DataInput[] = [...dirs].map(([name, dir]) => {
    const uri = uris.get(name);
    if (!uri) throw new Error(`--input ${name} has no --uri ${name}=<where it is in Azure>`);
    return { name, dir, uri: uri.endsWith('/') ? uri : `${uri}/` };
  });
  const used = describeDataUsed(inputs);
  writeDataUsed(values.out, used);
  console.log(`data-used.json: ${used.files.length} files, sha256 ${used.sha256}`);
  return 0;
}

runCli('data:used', main);
