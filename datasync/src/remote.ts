import { DefaultAzureCredential } from '@azure/identity';
import { BlobServiceClient, type ContainerClient, type StoragePipelineOptions } from '@azure/storage-blob';

/** What the sync knows about one blob without downloading it (one listing call covers a whole prefix). */
export interface RemoteBlob {
  name: string;
  /** Our content hash, stored as blob metadata at upload; absent for blobs other tools wrote. */
  sha256?: string;
  lastModified: Date;
  etag: string;
}

/** Metadata key holding the sha256 of the blob's bytes (the same hash the shared loader computes). */
export const SHA256_METADATA = 'sha256';

export interface ConnectOptions {
  container: string;
  connectionString?: string;
  accountUrl?: string;
  pipeline?: StoragePipelineOptions;
}

/** A connection string (Azurite, or a key from the portal) wins; otherwise the signed-in identity. */
export function connectContainer(options: ConnectOptions): ContainerClient {
  const service =
    options.connectionString !== undefined
      ? BlobServiceClient.fromConnectionString(options.connectionString, options.pipeline)
      : new BlobServiceClient(options.accountUrl as string, new DefaultAzureCredential(), options.pipeline);
  return service.getContainerClient(options.container);
}

export async function listRemote(container: ContainerClient, prefixes: readonly string[]): Promise<Map<string, RemoteBlob>> {
  const blobs = new Map<string, RemoteBlob>();
  for (const prefix of prefixes.length > 0 ? prefixes : ['']) {
    for await (const item of container.listBlobsFlat({ prefix, includeMetadata: true })) {
      blobs.set(item.name, {
        name: item.name,
        sha256: item.metadata?.[SHA256_METADATA],
        lastModified: item.properties.lastModified,
        etag: item.properties.etag ?? '',
      });
    }
  }
  return blobs;
}

/** A short reason for a failed request: the storage error code or the network error, never a URL or key. */
export function describeError(err: unknown): string {
  const e = err as { statusCode?: number; code?: string; message?: string };
  if (e.statusCode !== undefined) return `HTTP ${e.statusCode}${e.code ? ` ${e.code}` : ''}`;
  if (e.code) return e.code;
  return e.message?.split('\n')[0] ?? String(err);
}
