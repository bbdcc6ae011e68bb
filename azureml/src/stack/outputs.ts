import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { PULUMI_INSTALL_HINT } from '../../../infra/pulumiCli';

const name = z.string().min(1);

/**
 * The stack outputs the Azure ML tools need (infra/index.ts). `poolContainer`/`poolDatastore` exist only on a
 * stack of a class whose instructor set up the shared pool; `modelVersion` only once a version was deployed.
 */
export const StackOutputsSchema = z.object({
  githubSubscriptionId: name,
  resourceGroupName: name,
  workspaceName: name,
  storageAccountName: name,
  blobEndpoint: z.url({ protocol: /^https?$/ }),
  modelsContainer: name,
  modelsDatastore: name,
  modelName: name,
  modelVersion: z.coerce.string().optional(),
  gestureContainer: name,
  datastoreName: name,
  poolContainer: name.optional(),
  poolDatastore: name.optional(),
});

export type StackOutputs = z.infer<typeof StackOutputsSchema>;

/**
 * Where the class pool is: infra writes `poolContainer` as `<account>/<container>` (the pool lives in the class's
 * storage account, not the student's); a bare container name is one of the stack's own account.
 */
export function poolLocation(o: StackOutputs): { container: string; accountUrl?: string } | undefined {
  if (!o.poolContainer) return undefined;
  const [account, container] = o.poolContainer.includes('/') ? o.poolContainer.split('/') : [undefined, o.poolContainer];
  return { container, accountUrl: account ? `https://${account}.blob.core.windows.net/` : undefined };
}

/** Stack outputs that cannot be used: the message names every missing or wrong one. */
export class StackOutputsError extends Error {
  override readonly name = 'StackOutputsError';
}

export const PULUMI_MISSING = `the Pulumi CLI is not installed: ${PULUMI_INSTALL_HINT}, or pass --outputs <file of \`pulumi stack output --json\`>`;

export function parseStackOutputs(json: unknown, source: string): StackOutputs {
  const parsed = StackOutputsSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
  throw new StackOutputsError(`${source}: ${issues}`);
}

/** `pulumi stack output --json --stack <stack>`, or a file holding that JSON. */
export function readStackOutputs(from: { stack: string } | { outputsFile: string }): StackOutputs {
  if ('outputsFile' in from) return parseStackOutputs(JSON.parse(readFileSync(from.outputsFile, 'utf8')), from.outputsFile);
  const run = spawnSync('pulumi', ['stack', 'output', '--json', '--stack', from.stack], { encoding: 'utf8' });
  if ((run.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') throw new StackOutputsError(PULUMI_MISSING);
  if (run.status !== 0) throw new StackOutputsError(`pulumi stack output --stack ${from.stack} failed: ${(run.stderr || run.stdout).trim().split('\n')[0]}`);
  return parseStackOutputs(JSON.parse(run.stdout), `stack ${from.stack}`);
}
