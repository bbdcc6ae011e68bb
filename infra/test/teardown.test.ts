import { formatLeftovers, parseBlobBackend, teardownLeftovers } from '../teardown/leftovers';
import { softDeletableOf } from '../teardown/softDeleted';

const outputs = {
  githubSubscriptionId: 'sub',
  resourceGroupName: 'rg-wand-jdoe42-dev-abc123',
  location: 'eastus',
  workspaceName: 'mlw-jdoe42-dev-abc123',
  logAnalyticsName: 'log-wand-jdoe42-dev-abc123',
  keyVaultName: 'kv-jdoe42-k3x9q2',
  githubPrincipalId: '55555555-5555-5555-5555-555555555555',
};

describe('soft-deletable resources', () => {
  it('are named by the stack outputs, random suffix included', () => {
    expect(softDeletableOf(outputs)).toEqual({
      subscriptionId: 'sub',
      resourceGroup: 'rg-wand-jdoe42-dev-abc123',
      location: 'eastus',
      mlWorkspace: 'mlw-jdoe42-dev-abc123',
      logAnalytics: 'log-wand-jdoe42-dev-abc123',
      keyVault: 'kv-jdoe42-k3x9q2',
    });
  });

  it('are none for a stack without outputs, and an error naming what is missing for partial outputs', () => {
    expect(softDeletableOf({})).toBeUndefined();
    expect(() => softDeletableOf({ githubSubscriptionId: 'sub', resourceGroupName: 'rg' })).toThrow(/location, workspaceName, logAnalyticsName, keyVaultName/);
  });
});

describe('teardown leftovers', () => {
  const base = { stack: 'dev', outputs, backendUrl: '', keyVaultPurged: true, stackRemoved: true };

  it('are nothing when the purge and the stack removal worked on a Pulumi Cloud backend', () => {
    expect(teardownLeftovers(base)).toEqual([]);
    expect(formatLeftovers('dev', [])).toBe('Teardown of dev: nothing is left.');
  });

  it('name the soft-deleted vault with the purge command when the stack identity could not purge it', () => {
    expect(teardownLeftovers({ ...base, keyVaultPurged: false })).toEqual([
      expect.objectContaining({ command: 'az keyvault purge --name kv-jdoe42-k3x9q2 --location eastus' }),
    ]);
  });

  it('name the deploy identity role on an azblob state container, and an unremoved stack record', () => {
    const left = teardownLeftovers({ ...base, backendUrl: 'azblob://pulumi-state?storage_account=wandstate01', stackRemoved: false });
    expect(left.map((l) => l.command)).toEqual([
      'az role assignment delete --assignee 55555555-5555-5555-5555-555555555555 --scope "$(az storage account show -n wandstate01 --query id -o tsv)/blobServices/default/containers/pulumi-state"',
      'pulumi stack rm dev --yes',
    ]);
    expect(formatLeftovers('dev', left)).toMatch(/^Teardown of dev left 2 thing\(s\)/);
  });

  it('read the azblob backend URL as pulumi login takes it', () => {
    expect(parseBlobBackend('azblob://pulumi-state?storage_account=wandstate01')).toEqual({ container: 'pulumi-state', account: 'wandstate01' });
    expect(parseBlobBackend('https://api.pulumi.com')).toBeUndefined();
    expect(parseBlobBackend(undefined)).toBeUndefined();
  });
});
