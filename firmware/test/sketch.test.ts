/**
 * Without the ESP32 toolchain: the sketch is syntax-checked as C++ against the real WandCore
 * headers and declaration-only stubs of the Arduino APIs (host-stubs/), the core is compiled with
 * embedded-style flags against a second, hand-made model header, and the sketch's copy of the
 * model header must be the trained one.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MODEL_DIR } from './helpers';

const FIRMWARE = path.resolve(__dirname, '..');
const SKETCH_DIR = path.join(FIRMWARE, 'ESP32_to_cloud');
const CORE_SRC = path.join(FIRMWARE, 'WandCore', 'src');
const STUBS = path.join(__dirname, 'host-stubs');
const FIXTURE_MODEL = path.join(__dirname, 'fixtures');
// -Wno-cpp: the sketch's own #warning about building without config.h is expected here.
const STRICT = ['-std=gnu++17', '-Wall', '-Wextra', '-Werror', '-Wno-cpp'];

const gpp = (args: string[]): string => execFileSync('g++', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

describe('sketch and core without the ESP32 toolchain', () => {
  it('the sketch is valid C++ against the WandCore headers (syntax check with host stubs)', () => {
    gpp([...STRICT, '-fsyntax-only', '-x', 'c++', '-include', 'Arduino.h', '-I', STUBS, '-I', CORE_SRC, path.join(SKETCH_DIR, 'ESP32_to_cloud.ino')]);
  });

  it('the sketch also builds against any other generated model header', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'wand-sketch-'));
    try {
      for (const f of ['ESP32_to_cloud.ino', 'config.example.h', 'azure_roots.h']) copyFileSync(path.join(SKETCH_DIR, f), path.join(dir, f));
      copyFileSync(path.join(FIXTURE_MODEL, 'edge_model.h'), path.join(dir, 'edge_model.h'));
      gpp([...STRICT, '-fsyntax-only', '-x', 'c++', '-include', 'Arduino.h', '-I', STUBS, '-I', CORE_SRC, path.join(dir, 'ESP32_to_cloud.ino')]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([
    ['WAND_BREAKER_FAILURES', '300', 'WAND_BREAKER_FAILURES must be 0..255'],
    ['WAND_OFFLOAD_BUDGET_PER_MINUTE', '70000', 'WAND_OFFLOAD_BUDGET_PER_MINUTE must be 0..65535'],
    ['WAND_HTTP_DEADLINE_MS', '70000', 'WAND_HTTP_DEADLINE_MS must be 500..60000'],
    ['WAND_MIN_MOTION_G', '2.0f', 'WAND_MIN_MOTION_G must be 0..1 g'],
    ['WAND_BUTTON_PIN', '40', 'ESP32 GPIOs are 0..39'],
  ])('a config value that would truncate stops the build: %s %s', (name, value, message) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'wand-config-'));
    try {
      for (const f of ['ESP32_to_cloud.ino', 'azure_roots.h', 'edge_model.h']) copyFileSync(path.join(SKETCH_DIR, f), path.join(dir, f));
      const example = readFileSync(path.join(SKETCH_DIR, 'config.example.h'), 'utf8');
      const bad = example.replace(new RegExp(`#define ${name} .*`), `#define ${name} ${value}`);
      expect(bad).not.toBe(example);
      writeFileSync(path.join(dir, 'config.h'), bad);
      expect(() => gpp([...STRICT, '-fsyntax-only', '-x', 'c++', '-include', 'Arduino.h', '-I', STUBS, '-I', CORE_SRC, path.join(dir, 'ESP32_to_cloud.ino')])).toThrow(message);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the core compiles without exceptions or RTTI and calls no heap allocator', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'wand-core-'));
    try {
      const sources = readdirSync(CORE_SRC).filter((f) => f.endsWith('.cpp')).map((f) => path.basename(f, '.cpp'));
      expect(sources.length).toBeGreaterThanOrEqual(12);
      const objects = sources.map((name) => {
        const out = path.join(dir, `${name}.o`);
        gpp([...STRICT, '-Wpedantic', '-Os', '-fno-exceptions', '-fno-rtti', '-c', path.join(CORE_SRC, `${name}.cpp`), '-o', out]);
        return out;
      });
      const undefinedSymbols = execFileSync('nm', ['-u', '-C', ...objects], { encoding: 'utf8' });
      expect(undefinedSymbols).not.toMatch(/\b(malloc|calloc|realloc|free|operator new|operator delete)\b/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("the sketch's edge_model.h is the trained model's (npm run firmware:sync-model)", () => {
    const trained = readFileSync(path.join(MODEL_DIR, 'edge_model.h'), 'utf8');
    expect(readFileSync(path.join(SKETCH_DIR, 'edge_model.h'), 'utf8')).toBe(trained);
  });
});
