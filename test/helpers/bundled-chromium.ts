import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../../src/platform/paths.js';

/**
 * The Chromium that npm installs: @sparticuz/chromium ships a headless Chromium for Linux x64,
 * brotli-compressed, with the few shared libraries it needs (NSS, expat) and a font. The browser
 * tests use it when the machine has no Chromium of its own, so `npm ci && npm test` needs nothing
 * but Node.js.
 *
 * The package would unpack into the shared /tmp (one path for every user, written by whoever came
 * first, raced by parallel test files), so it is unpacked here instead: once per package version,
 * into node_modules/.cache, by a child process whose TMPDIR is a private staging folder that is then
 * renamed into place (rename is atomic: a test file that loses the race uses the winner's copy).
 */

export interface BundledChromium {
  executablePath: string;
  /** Environment the browser needs: its shared libraries and its fonts. */
  env: Record<string, string>;
}

const run = promisify(execFile);
const require = createRequire(import.meta.url);

/** The package's folder (its exports hide package.json, so from its entry point build/index.js). */
function packageRoot(): string {
  return path.dirname(path.dirname(require.resolve('@sparticuz/chromium')));
}

// Runs in the child (argv[1]: the package's bin folder): unpacks the browser, its fonts, SwiftShader
// and the libraries into $TMPDIR. The libraries are meant for Amazon Linux; glibc is compatible.
const UNPACK = `
import chromium, { inflate } from '@sparticuz/chromium';
await chromium.executablePath(process.argv[1]);
await inflate(process.argv[1] + '/al2023.tar.br');
`;

function located(dir: string): BundledChromium {
  return {
    executablePath: path.join(dir, 'chromium'),
    env: { LD_LIBRARY_PATH: path.join(dir, 'al2023', 'lib'), FONTCONFIG_PATH: dir },
  };
}

/** Unpacks the registry's Chromium (first call per version; about 3 s) and says how to run it. */
export async function bundledChromium(): Promise<BundledChromium> {
  const cacheRoot = path.join(PROJECT_ROOT, 'node_modules', '.cache', 'fleetflash-chromium');
  const root = packageRoot();
  const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
  const dir = path.join(cacheRoot, version);
  if (existsSync(path.join(dir, 'chromium'))) return located(dir);
  mkdirSync(cacheRoot, { recursive: true });
  const staging = mkdtempSync(path.join(cacheRoot, 'unpacking-'));
  try {
    await run(process.execPath, ['--input-type=module', '-e', UNPACK, path.join(root, 'bin')], {
      cwd: PROJECT_ROOT,
      env: { PATH: process.env.PATH ?? '', TMPDIR: staging },
    });
    // The package's fonts.conf names /tmp/fonts; this one names the unpacked copy.
    writeFileSync(
      path.join(staging, 'fonts.conf'),
      [
        '<?xml version="1.0"?>',
        '<!DOCTYPE fontconfig SYSTEM "fonts.dtd">',
        '<fontconfig>',
        `  <dir>${path.join(dir, 'fonts')}</dir>`,
        `  <cachedir>${path.join(dir, 'fonts-cache')}</cachedir>`,
        '</fontconfig>',
        '',
      ].join('\n'),
    );
    renameSync(staging, dir);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    if (!existsSync(path.join(dir, 'chromium'))) throw error;
  }
  return located(dir);
}
