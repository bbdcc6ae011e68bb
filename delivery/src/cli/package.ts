import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runCli } from './run';
import { ManifestError } from '../../../gesture/src';
import { buildServicePackage, mb, PackageError } from '../package/buildPackage';

const REPO_ROOT = resolve(__dirname, '..', '..', '..');

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      model: { type: 'string', default: 'models/default' },
      out: { type: 'string', default: 'dist/service-package.zip' },
      'max-mb': { type: 'string', default: '60' },
    },
  });
  const maxMb = Number(values['max-mb']);
  if (!Number.isFinite(maxMb) || maxMb <= 0) {
    console.error(`--max-mb must be a positive number, got ${values['max-mb']}`);
    return 2;
  }
  const result = await buildServicePackage({
    repoRoot: REPO_ROOT,
    modelDir: resolve(values.model),
    out: resolve(values.out),
    maxBytes: maxMb * 1e6,
  });
  for (const w of result.warnings) console.warn(`esbuild: ${w}`);
  const { parts } = result;
  console.log(`server.js ${mb(parts.server)}, onnxruntime-node linux/x64 ${mb(parts.runtime)}, model ${mb(parts.model)}`);
  console.log(`wrote ${values.out}: ${mb(result.zipBytes)} (limit ${mb(maxMb * 1e6)})`);
  return 0;
}

runCli('package', main, (err) => err instanceof PackageError || err instanceof ManifestError);
