import { ContainerClient } from '@azure/storage-blob';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAzurite, type Azurite } from '../../../datasync/test/azurite';

/** A scratch folder and a per-suite Azurite (datasync's helper) holding `containers`, for one test file. */
export interface AzuriteFixture {
  readonly work: string;
  /** For a child process (AZURE_STORAGE_CONNECTION_STRING), as the CLIs take it. */
  readonly connectionString: string;
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
    get connectionString() {
      return (azurite as Azurite).connectionString;
    },
    // One quick retry only: a kept-alive socket Azurite closed while a test blocked on a child process is
    // retried at once; anything else fails the test instead of backing off for a minute.
    connect: (container) => new ContainerClient((azurite as Azurite).connectionString, container, { retryOptions: { maxTries: 2, retryDelayInMs: 50 } }),
  };
  return fixture;
}
