import madge from 'madge';
import { join } from 'node:path';
import { REPO } from './helpers';

// Each stage folder must be usable alone: an import cycle (as train.ts <-> report.ts once was) ties stages together.
describe('training/src layout', () => {
  test('no import cycle between modules', async () => {
    const graph = await madge(join(REPO, 'training/src'), { fileExtensions: ['ts'], detectiveOptions: { ts: { skipTypeImports: false } } });
    expect(graph.circular()).toEqual([]);
  }, 60000);
});
