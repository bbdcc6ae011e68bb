import AdmZip from 'adm-zip';
import { buildZip } from '../src/package/zip';

describe('package zip', () => {
  const entries = [
    { zipPath: 'server.js', bytes: Buffer.from('console.log(1)\n') },
    { zipPath: 'models/default/model.json', bytes: Buffer.from('{}\n') },
  ];

  it('is byte-for-byte the same for the same inputs in any order (the blob name is its hash)', () => {
    expect(buildZip(entries).equals(buildZip([...entries].reverse()))).toBe(true);
    expect(buildZip(entries).equals(buildZip([entries[0], { ...entries[1], bytes: Buffer.from('{"a":1}\n') }]))).toBe(false);
  });

  it('stores sorted regular files with mode 0644 and their exact bytes', () => {
    const zip = new AdmZip(buildZip(entries));
    expect(zip.getEntries().map((e) => e.entryName)).toEqual(['models/default/model.json', 'server.js']);
    expect(zip.getEntries().map((e) => (e.attr >>> 16) & 0o177777)).toEqual([0o100644, 0o100644]);
    expect(zip.readFile('server.js')?.toString()).toBe('console.log(1)\n');
  });
});
