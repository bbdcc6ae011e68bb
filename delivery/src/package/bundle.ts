import { build, type Plugin } from 'esbuild';
import { builtinModules } from 'node:module';
import { basename, join } from 'node:path';

/** Modules that stay outside the bundle: onnxruntime-node loads a native binding by a computed path. */
export const EXTERNAL_MODULES = ['onnxruntime-node'] as const;

/**
 * A file whose requires stay unresolved on purpose: the Azure Monitor distro probes there, in a
 * try/catch, for a top-level @opentelemetry/instrumentation to count enabled instrumentations in its
 * usage statistics; it works without it (the instrumentations it uses are bundled from its own copy).
 */
const OPTIONAL_PROBES = /[\\/]@azure[\\/]monitor-opentelemetry[\\/].*opentelemetryInstrumentationPatcher\.js$/;

/**
 * The service's telemetry module and the Azure Monitor distro it carries (~16 MB of JavaScript, six
 * times the rest) are a second file, `telemetry.js`, which the server requires only when
 * APPLICATIONINSIGHTS_CONNECTION_STRING is set: a service without it does not parse it at cold start.
 */
const TELEMETRY_ENTRY = 'telemetry';
const telemetryAsOwnFile = (serviceSrc: string): Plugin => ({
  name: 'telemetry-as-own-file',
  setup(b) {
    b.onResolve({ filter: new RegExp(`^\\./${TELEMETRY_ENTRY}$`) }, (args) =>
      args.importer === join(serviceSrc, 'server.ts') ? { path: `./${TELEMETRY_ENTRY}.js`, external: true } : undefined,
    );
    b.onResolve({ filter: /^@opentelemetry\/instrumentation/ }, (args) => (OPTIONAL_PROBES.test(args.importer) ? { path: args.path, external: true } : undefined));
  },
});

export interface Bundle {
  /** `server.js` (the entry) and `telemetry.js`, side by side. */
  files: { name: string; code: Uint8Array }[];
  /** Bare module names the bundle still `require`s at run time (beyond Node's built-ins). */
  externals: string[];
  warnings: string[];
}

/**
 * CommonJS files holding the service and everything it imports except the native runtime, so the
 * package needs no `npm install` on App Service. Not minified: stack traces in the app's log stay readable.
 */
export async function bundleService(serviceSrc: string, nodeTarget: string): Promise<Bundle> {
  const result = await build({
    entryPoints: { server: join(serviceSrc, 'main.ts'), [TELEMETRY_ENTRY]: join(serviceSrc, `${TELEMETRY_ENTRY}.ts`) },
    bundle: true,
    platform: 'node',
    target: nodeTarget,
    format: 'cjs',
    write: false,
    outdir: 'out',
    plugins: [telemetryAsOwnFile(serviceSrc)],
    external: [...EXTERNAL_MODULES],
    metafile: true,
    legalComments: 'eof',
    logLevel: 'silent',
  });
  const externals = new Set<string>();
  for (const [file, input] of Object.entries(result.metafile.inputs)) {
    if (OPTIONAL_PROBES.test(file)) continue;
    for (const imp of input.imports) {
      const local = imp.path === `./${TELEMETRY_ENTRY}.js`;
      if (imp.external && !local && !imp.path.startsWith('node:') && !builtinModules.includes(imp.path)) externals.add(imp.path);
    }
  }
  return {
    files: result.outputFiles.map((f) => ({ name: basename(f.path), code: f.contents })).sort((a, b) => (a.name === 'server.js' ? -1 : b.name === 'server.js' ? 1 : 0)),
    externals: [...externals].sort(),
    warnings: result.warnings.map((w) => `${w.location?.file ?? ''}:${w.location?.line ?? ''} ${w.text}`),
  };
}
