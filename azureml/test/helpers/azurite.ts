import { ContainerClient } from '@azure/storage-blob';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAzurite, type Azurite } from '../../../datasync/test/azurite';

/** A scratch folder and a per-suite Azurite (datasync's helper) holding `containers`, for one test file. */
export interface AzuriteFixture {
  readonly work: string;
  connect(container: string): ContainerClient;
}

export function useAzurite(label: string, containers: string[]): AzuriteFixture {
  let work = '';
  let azurite: Azurite | undefined;
  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), `wand-azureml-${label}-`));
    azurite = await startAzurite(join(work, 'azurite'));
    for (const name of containers) await fixture.connect(name).create();
  });
  afterAll(async () => {
    await azurite?.stop();
    rmSync(work, { recursive: true, force: true });
  });
  const fixture: AzuriteFixture = {
    get work() {
      return work;
    },
    // No retries: a failing call fails the test at once instead of backing off.
    connect: (container) => new ContainerClient((azurite as Azurite).connectionString, container, { retryOptions: { maxTries: 1 } }),
  };
  return fixture;
}
