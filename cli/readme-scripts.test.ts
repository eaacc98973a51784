// The README's commands are the ones a newcomer types: every `npm run NAME` it (and the
// docs) name must be a script of package.json, and every script a user runs is named.
import { expect, test } from '@playwright/test';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

const scripts = Object.keys(JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).scripts);

test('every `npm run NAME` in the README and docs/ is a script of package.json', () => {
  const files = ['README.md', ...readdirSync(join(REPO_ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => join('docs', f))];
  const named = new Set<string>();
  for (const file of files) {
    // A name runs to the first character npm would not take as part of it (letters, digits, ':', '-', '_').
    for (const [, name] of readFileSync(join(REPO_ROOT, file), 'utf8').matchAll(/npm run ([A-Za-z0-9:_-]+)/g)) named.add(name);
  }
  expect([...named].filter((n) => !scripts.includes(n))).toEqual([]);
  for (const tier of ['test:unit', 'test:gpu', 'test:browser', 'predict', 'soak']) expect(named.has(tier), tier).toBe(true);
});
