import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { bundleService, EXTERNAL_MODULES } from './bundle';
import { modelFiles, onnxRuntimeFiles, pageAssetFiles } from './files';
import { buildZip, fromFile, type ZipEntry } from './zip';

export interface PackageOptions {
  repoRoot: string;
  modelDir: string;
  out: string;
  /** Refuse to write a package larger than this (F1 has 1 GB of storage in all; the target is 60 MB). */
  maxBytes: number;
  /** esbuild target; App Service runs NODE|22-lts, the repository supports Node 20. */
  nodeTarget?: string;
}

export interface PackageResult {
  out: string;
  zipBytes: number;
  /** Uncompressed bytes per part of the package. */
  parts: { server: number; runtime: number; model: number; manifest: number };
  warnings: string[];
}

export class PackageError extends Error {
  override readonly name = 'PackageError';
}

const sum = (entries: readonly ZipEntry[]): number => entries.reduce((n, e) => n + e.bytes.length, 0);

/**
 * The App Service package: `server.js` (the bundled service), the trimmed onnxruntime-node, the model
 * folder and a minimal package.json whose `main` is what App Service's Node start-up runs.
 */
export function appPackageJson(version: string, ortVersion: string): string {
  const pkg = {
    name: 'wandcloud-service',
    version,
    private: true,
    description: 'wandcloud inference service, prebuilt for Linux App Service (WEBSITE_RUN_FROM_PACKAGE)',
    // No start script on purpose: App Service is given PACKAGE_START_COMMAND (startCommand.ts), so SIGTERM
    // reaches the service (through `npm start`, sh does not pass it on and node is orphaned).
    main: 'server.js',
    engines: { node: '>=20' },
    // Already in node_modules, trimmed to linux/x64; listed so the package says what it carries.
    dependencies: { 'onnxruntime-node': ortVersion },
  };
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

export async function buildServicePackage(options: PackageOptions): Promise<PackageResult> {
  const { repoRoot } = options;
  const nodeModules = join(repoRoot, 'node_modules');
  const bundle = await bundleService(join(repoRoot, 'service', 'src'), options.nodeTarget ?? 'node20');
  const unexpected = bundle.externals.filter((m) => !(EXTERNAL_MODULES as readonly string[]).includes(m));
  if (unexpected.length > 0) {
    throw new PackageError(`the bundle requires modules that are not packaged: ${unexpected.join(', ')}`);
  }
  const version = (dir: string): string => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version;

  const server: ZipEntry[] = [...bundle.files.map((f) => ({ zipPath: f.name, bytes: f.code })), ...pageAssetFiles(repoRoot).map(fromFile)];
  const manifest: ZipEntry[] = [{ zipPath: 'package.json', bytes: Buffer.from(appPackageJson(version(repoRoot), version(join(nodeModules, 'onnxruntime-node')))) }];
  const runtime = onnxRuntimeFiles(nodeModules).map(fromFile);
  const model = modelFiles(options.modelDir).map(fromFile);

  const zip = buildZip([...server, ...manifest, ...runtime, ...model]);
  if (zip.length > options.maxBytes) {
    throw new PackageError(`the package is ${mb(zip.length)}, over the limit of ${mb(options.maxBytes)}`);
  }
  mkdirSync(dirname(options.out), { recursive: true });
  writeFileSync(options.out, zip);
  return {
    out: options.out,
    zipBytes: zip.length,
    parts: { server: sum(server), runtime: sum(runtime), model: sum(model), manifest: sum(manifest) },
    warnings: bundle.warnings,
  };
}

export const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(1)} MB`;
