import { build } from 'esbuild';
import { builtinModules } from 'node:module';

/** Modules that stay outside the bundle: onnxruntime-node loads a native binding by a computed path. */
export const EXTERNAL_MODULES = ['onnxruntime-node'] as const;

export interface Bundle {
  code: Uint8Array;
  /** Bare module names the bundle still `require`s at run time (beyond Node's built-ins). */
  externals: string[];
  warnings: string[];
}

/**
 * One CommonJS file holding the service and everything it imports except the native runtime, so the
 * package needs no `npm install` on App Service. Not minified: stack traces in the app's log stay readable.
 */
export async function bundleService(entry: string, nodeTarget: string): Promise<Bundle> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    target: nodeTarget,
    format: 'cjs',
    write: false,
    outfile: 'server.js',
    external: [...EXTERNAL_MODULES],
    metafile: true,
    legalComments: 'eof',
    logLevel: 'silent',
  });
  const externals = new Set<string>();
  for (const output of Object.values(result.metafile.outputs)) {
    for (const imp of output.imports) {
      if (imp.external && !imp.path.startsWith('node:') && !builtinModules.includes(imp.path)) externals.add(imp.path);
    }
  }
  return {
    code: result.outputFiles[0].contents,
    externals: [...externals].sort(),
    warnings: result.warnings.map((w) => `${w.location?.file ?? ''}:${w.location?.line ?? ''} ${w.text}`),
  };
}
