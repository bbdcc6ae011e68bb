import { DefaultAzureCredential, type TokenCredential } from '@azure/identity';
import type { SoftDeleteCleanup } from './workspace';

const ARM = 'https://management.azure.com';

/**
 * Deletes past Azure's soft delete through ARM, as the given identity (the class tool passes the instructor's
 * az login; by default whatever identity the environment provides). A resource that is already gone counts as
 * done, so teardown can be re-run after a failure.
 */
export function azureSoftDeleteCleanup(credential: TokenCredential = new DefaultAzureCredential()): SoftDeleteCleanup {
  async function call(method: 'DELETE' | 'POST', path: string): Promise<void> {
    const token = await credential.getToken(`${ARM}/.default`);
    if (!token) throw new Error('no Azure token: sign in with az login');
    const headers = { Authorization: `Bearer ${token.token}` };
    const response = await fetch(`${ARM}${path}`, { method, headers });
    if (response.status === 404) return;
    if (!response.ok) throw new Error(`${method} ${path.split('?')[0]}: HTTP ${response.status} ${(await response.text()).slice(0, 200)}`);
    // Long-running deletes answer 202 with a URL to poll until the operation finishes.
    const poll = response.headers.get('azure-asyncoperation') ?? response.headers.get('location');
    if (response.status !== 202 || !poll) return;
    for (let attempt = 0; attempt < 120; attempt++) {
      await new Promise((r) => setTimeout(r, 10_000));
      const status = await fetch(poll, { headers });
      if (status.status === 200 || status.status === 204) {
        const body = (await status.json().catch(() => ({}))) as { status?: string };
        if (!body.status || body.status === 'Succeeded') return;
        if (body.status === 'Failed' || body.status === 'Canceled') throw new Error(`${path.split('?')[0]}: ${body.status}`);
      } else if (status.status !== 202) {
        throw new Error(`${path.split('?')[0]}: polling answered HTTP ${status.status}`);
      }
    }
    throw new Error(`${path.split('?')[0]}: still running after 20 minutes`);
  }

  return {
    deleteMlWorkspacePermanently: (sub, rg, name) =>
      call('DELETE', `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.MachineLearningServices/workspaces/${name}?api-version=2024-10-01&forceToPurge=true`),
    deleteLogAnalyticsPermanently: (sub, rg, name) =>
      call('DELETE', `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.OperationalInsights/workspaces/${name}?api-version=2023-09-01&force=true`),
    purgeKeyVault: (sub, location, name) =>
      call('POST', `/subscriptions/${sub}/providers/Microsoft.KeyVault/locations/${location}/deletedVaults/${name}/purge?api-version=2023-07-01`),
  };
}
