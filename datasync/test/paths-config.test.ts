import { join } from 'node:path';
import { blobNameFor, localPathFor, ownerPrefix } from '../src/blobNames';
import { ConfigError, parseSyncConfig } from '../src/config';

describe('blob names', () => {
  it('puts the owner in front of the path inside the uploaded folder, with forward slashes', () => {
    expect(blobNameFor('ann', '/data/mine', join('/data/mine', 'O', 'a.csv'))).toBe('ann/O/a.csv');
    expect(() => blobNameFor('ann', '/data/mine', '/data/other/O/a.csv')).toThrow('is not inside');
  });

  it('maps blob names under the download folder and refuses names that would escape it', () => {
    expect(localPathFor('/tmp/pool', 'ann/O/a.csv')).toBe(join('/tmp/pool', 'ann', 'O', 'a.csv'));
    for (const bad of ['../x.csv', 'ann/../../x.csv', '/etc/passwd', 'ann//x.csv', 'ann\\..\\x.csv', 'c:/x.csv', 'ann/./x.csv']) {
      expect(localPathFor('/tmp/pool', bad)).toBeUndefined();
    }
  });

  it('lists an owner by a prefix that does not match longer owner names', () => {
    expect(ownerPrefix('ann')).toBe('ann/');
  });
});

describe('sync config', () => {
  const base = { direction: 'upload', dir: 'data', container: 'gestures', owners: ['Ann'], overwrite: false, concurrency: 8, connectionString: 'UseDevelopmentStorage=true' };

  it('accepts a complete config and normalises the owner', () => {
    expect(parseSyncConfig(base).owners).toEqual(['ann']);
    expect(parseSyncConfig({ ...base, connectionString: undefined, accountUrl: 'https://acct.blob.core.windows.net' }).accountUrl).toBe(
      'https://acct.blob.core.windows.net',
    );
  });

  it.each([
    ['no credentials', { connectionString: undefined }, 'accountUrl: is required'],
    ['an upload without owner', { owners: [] }, 'upload needs exactly one --owner'],
    ['an owner with a slash', { owners: ['a/b'] }, 'owners.0: must be 1-63 lowercase'],
    ['an invalid container name', { container: 'Gesture_Data' }, 'container: must be a blob container name'],
    ['zero concurrency', { concurrency: 0 }, 'concurrency'],
    ['a non-http account URL', { connectionString: undefined, accountUrl: 'ftp://x' }, 'accountUrl: must be the blob endpoint URL'],
  ])('rejects %s before any network call', (_name, change, message) => {
    expect(() => parseSyncConfig({ ...base, ...change })).toThrow(ConfigError);
    expect(() => parseSyncConfig({ ...base, ...change })).toThrow(message);
  });

  it('lets a download name no owner (the whole container)', () => {
    expect(parseSyncConfig({ ...base, direction: 'download', owners: [] }).owners).toEqual([]);
  });
});
