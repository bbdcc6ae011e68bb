import { existsSync, readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { GOLDEN_FILE, readManifest, MANIFEST_FILE, REGISTRY_FILE } from '../../../gesture/src';
import { REPORT_CHARTS } from '../../../service/src/page/model-card';

/** One file of the package: where it comes from and its path inside the zip (forward slashes). */
export interface PackageFile {
  source: string;
  zipPath: string;
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : e.isFile() ? [join(dir, e.name)] : []))
    .sort();
}

const toZipPath = (...parts: string[]): string => parts.join('/').split(sep).join('/');

/** Runtime JavaScript only: no type declarations (.d.ts), no source maps (.js.map). */
const isRuntimeJs = (file: string): boolean => file.endsWith('.js');

/**
 * onnxruntime-node trimmed to what App Service (Linux x64) loads: its package.json, its compiled JS and
 * the one native folder `bin/napi-v6/linux/x64` (REFERENCE 3: ~45 MB of the 288 MB package), plus its
 * JS dependency onnxruntime-common. Its install script is left out: nothing is installed on the server.
 */
export function onnxRuntimeFiles(nodeModules: string, platform = 'linux', arch = 'x64'): PackageFile[] {
  const ort = join(nodeModules, 'onnxruntime-node');
  const common = join(nodeModules, 'onnxruntime-common');
  const pick = (root: string, dir: string, keep: (f: string) => boolean): PackageFile[] =>
    walk(join(root, dir))
      .filter(keep)
      .map((source) => ({ source, zipPath: toZipPath('node_modules', relative(nodeModules, source)) }));
  return [
    { source: join(ort, 'package.json'), zipPath: 'node_modules/onnxruntime-node/package.json' },
    ...pick(ort, 'dist', isRuntimeJs),
    ...pick(ort, join('bin', 'napi-v6', platform, arch), () => true),
    { source: join(common, 'package.json'), zipPath: 'node_modules/onnxruntime-common/package.json' },
    ...pick(common, join('dist', 'cjs'), (f) => isRuntimeJs(f) || f.endsWith('package.json')),
  ];
}

/**
 * The model files the service reads: the manifest, the cloud network it names, the golden vectors
 * it replays at start (it refuses to start without them), the report charts its page shows and, for a
 * version downloaded from the registry, `registry.json` (so the service reports the registered version),
 * under `models/default/` (the service's default MODEL_DIR, relative to the app's working directory).
 * Edge model, header and report text stay out: the wand and the registry use them, not the server.
 */
export function modelFiles(modelDir: string, zipDir = 'models/default'): PackageFile[] {
  const manifest = readManifest(modelDir);
  const registry = existsSync(join(modelDir, REGISTRY_FILE)) ? [REGISTRY_FILE] : [];
  const charts = REPORT_CHARTS.map((c) => c.file).filter((name) => existsSync(join(modelDir, name)));
  return [MANIFEST_FILE, GOLDEN_FILE, manifest.models.cloud.file, ...registry, ...charts].map((name) => ({ source: join(modelDir, name), zipPath: toZipPath(zipDir, name) }));
}

/** The service page's script, style sheet and icon, where the service looks for them (`service/public` under its working directory). */
export function pageAssetFiles(repoRoot: string): PackageFile[] {
  return walk(join(repoRoot, 'service', 'public')).map((source) => ({ source, zipPath: toZipPath(relative(repoRoot, source)) }));
}
