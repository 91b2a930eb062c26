import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../src/platform/paths.js';
import { SETTINGS } from '../src/platform/settings.js';
import { BUILD_ERRORS } from '../src/modules/imagebuilder/build-failure.js';

const read = (file: string) => readFileSync(path.join(PROJECT_ROOT, file), 'utf8');

describe('documentation', () => {
  it('lists every setting with its file key and environment variable in docs/settings.md', () => {
    const doc = read('docs/settings.md');
    for (const spec of Object.values(SETTINGS)) {
      expect(doc, spec.key).toContain(`\`${spec.key}\``);
      expect(doc, spec.env).toContain(`\`${spec.env}\``);
    }
  });

  it('documents every image build error code, with its kind, in docs/api.md', () => {
    const doc = read('docs/api.md');
    for (const [code, { kind }] of Object.entries(BUILD_ERRORS))
      expect(doc, code).toContain(`| \`${code}\` | ${kind} |`);
  });

  it('has README start with the two commands, and CI run exactly the README test command', () => {
    const readme = read('README.md');
    const commands = [...readme.matchAll(/^(npm ci && npm \w+)/gm)].map((match) => match[1]);
    expect(commands.slice(0, 2)).toEqual(['npm ci && npm start', 'npm ci && npm test']);
    expect(read('.ci/run')).toContain('\nnpm ci && npm test\n');
  });
});
