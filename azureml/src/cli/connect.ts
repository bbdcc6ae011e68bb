import { DefaultAzureCredential } from '@azure/identity';
import { mlClient, registryTarget, stackContainer } from '../clients';
import { transferBar } from '../progress';
import { ModelRegistry } from '../registry/modelRegistry';
import { readStackOutputs, StackOutputsError, type StackOutputs } from '../stack/outputs';

/** `--stack S` or `--outputs F`: exactly one, checked before anything else happens. */
export function stackSource(values: { stack?: string; outputs?: string }): { stack: string } | { outputsFile: string } {
  if (values.stack && values.outputs) throw new StackOutputsError('give --stack or --outputs, not both');
  if (values.stack) return { stack: values.stack };
  if (values.outputs) return { outputsFile: values.outputs };
  throw new StackOutputsError('--stack <stack> or --outputs <file of `pulumi stack output --json`> is required');
}

export const stackOptions = { stack: { type: 'string' }, outputs: { type: 'string' } } as const;

/** The signed-in user (az login) or the workflow's OIDC identity, for ARM and for blobs. */
export function connectRegistry(outputs: StackOutputs, verb: string): ModelRegistry {
  const credential = new DefaultAzureCredential();
  return new ModelRegistry({
    client: mlClient(credential, outputs.githubSubscriptionId),
    container: stackContainer(outputs, outputs.modelsContainer),
    target: registryTarget(outputs),
    progress: transferBar(verb),
  });
}

export { readStackOutputs };
