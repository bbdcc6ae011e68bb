import { z } from 'zod';

/** Something a teardown could not remove, and the one command that removes it. */
export interface Leftover {
  what: string;
  command: string;
}

export interface TeardownOutcome {
  stack: string;
  /** The stack's outputs, read before `pulumi destroy`. */
  outputs: Record<string, unknown>;
  /** `PULUMI_BACKEND_URL`; an `azblob://` backend holds a role assignment for the deploy identity. */
  backendUrl?: string;
  keyVaultPurged: boolean;
  stackRemoved: boolean;
}

const Outputs = z.object({
  keyVaultName: z.string().min(1).optional(),
  location: z.string().min(1).optional(),
  githubPrincipalId: z.string().min(1).optional(),
});

/** `azblob://<container>?storage_account=<account>`, as `pulumi login` takes it. */
export function parseBlobBackend(url: string | undefined): { container: string; account: string } | undefined {
  const match = /^azblob:\/\/([a-z0-9-]{3,63})\?(?:.*&)?storage_account=([a-z0-9]{3,24})(?:&|$)/.exec(url ?? '');
  return match ? { container: match[1], account: match[2] } : undefined;
}

/**
 * What a student's teardown leaves behind when it runs as the stack's own deploy identity. That identity only
 * holds rights inside the stack's resource group (so a student's workflow can never reach a classmate's stack),
 * which means it cannot purge a soft-deleted Key Vault (a subscription-scope action) and its role on the state
 * container outlives it. Each leftover comes with the command its owner runs once, signed in as themselves.
 */
export function teardownLeftovers(outcome: TeardownOutcome): Leftover[] {
  const outputs = Outputs.parse(outcome.outputs);
  const left: Leftover[] = [];
  if (!outcome.keyVaultPurged && outputs.keyVaultName) {
    left.push({
      what: `soft-deleted Key Vault ${outputs.keyVaultName} (kept 7 days; purging needs a subscription-scope right)`,
      command: `az keyvault purge --name ${outputs.keyVaultName} --location ${outputs.location ?? '<region>'}`,
    });
  }
  const backend = parseBlobBackend(outcome.backendUrl);
  if (backend && outputs.githubPrincipalId) {
    left.push({
      what: `the deploy identity's role on the state container ${backend.account}/${backend.container} (the identity itself is gone)`,
      command:
        `az role assignment delete --assignee ${outputs.githubPrincipalId} --scope ` +
        `"$(az storage account show -n ${backend.account} --query id -o tsv)/blobServices/default/containers/${backend.container}"`,
    });
  }
  if (!outcome.stackRemoved) {
    left.push({ what: `the stack record ${outcome.stack} in the state backend (empty)`, command: `pulumi stack rm ${outcome.stack} --yes` });
  }
  return left;
}

export function formatLeftovers(stack: string, left: Leftover[]): string {
  if (left.length === 0) return `Teardown of ${stack}: nothing is left.`;
  return [`Teardown of ${stack} left ${left.length} thing(s); remove each with its command:`, ...left.flatMap((l) => [`- ${l.what}`, `    ${l.command}`])].join('\n');
}
