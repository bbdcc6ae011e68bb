/**
 * How App Service starts the package: `node` straight on `server.js` (no npm `start` script: through `npm start`,
 * sh did not pass SIGTERM on). The heap cap keeps RSS flat near 120-140 MB on F1's 1 GB: without it V8 reserves
 * ~3x the ~17 MB live heap and RSS creeps up under load (measured with heap snapshots, service/README.md).
 */
export const PACKAGE_START_ARGS: readonly string[] = ['--max-old-space-size=96', 'server.js'];

export const PACKAGE_START_COMMAND = ['node', ...PACKAGE_START_ARGS].join(' ');

/** The Node major App Service runs the package on; the deploy and teardown workflows and the Azure ML job run it too. */
export const PACKAGE_NODE_MAJOR = 22;
export const PACKAGE_RUNTIME = `NODE|${PACKAGE_NODE_MAJOR}-lts`;
