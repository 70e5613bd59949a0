// The dependency rules of ../shared/docs/ARCHITECTURE.md ("Components and where they live"), checked on every import of
// src/: each folder imports only what its row allows, and domain modules import neither Express nor BullMQ's Worker.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';

const ROOT = resolve(import.meta.dirname, '..', '..');
const SRC = join(ROOT, 'src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return files(p);
    return p.endsWith('.ts') ? [p] : [];
  });
}

interface Import { file: string; spec: string; names: string }

/** Every static import and re-export of a file, with its imported names (type-only imports included). */
function importsOf(file: string): Import[] {
  const text = readFileSync(file, 'utf8');
  const out: Import[] = [];
  const re = /^\s*(?:import|export)\s+([^'";]*?)\s*from\s+['"]([^'"]+)['"]/gms;
  for (const m of text.matchAll(re)) out.push({ file: relative(ROOT, file), names: m[1]!, spec: m[2]! });
  return out;
}

/** The src/ folder an import points into ('rego', 'budget', …), or null for packages and node: modules. */
function targetFolder(from: string, spec: string): string | null {
  if (!spec.startsWith('.')) return null;
  const rel = relative(SRC, resolve(dirname(from), spec));
  if (rel.startsWith('..')) return `outside src (${relative(ROOT, resolve(dirname(from), spec))})`;
  return rel.split('/')[0]!;
}

const all = files(SRC).flatMap(importsOf);
const folderOf = (i: Import) => relative('src', i.file).split('/')[0]!;

/** What each folder may import from other src/ folders (its own folder always). Folders not listed are not restricted here. */
const ALLOWED: Record<string, string[]> = {
  rego: [],
  policy: ['rego'],
  queue: [],
  budget: ['queue'],
  trace: ['policy'],
};

test('each src/ folder imports only the folders its row of ARCHITECTURE.md allows', () => {
  const violations = all
    .filter((i) => folderOf(i) in ALLOWED)
    .map((i) => ({ ...i, to: targetFolder(join(ROOT, i.file), i.spec) }))
    .filter((i) => i.to !== null && i.to !== folderOf(i) && !ALLOWED[folderOf(i)]!.includes(i.to))
    .map((i) => `${i.file} imports ${i.spec} (src/${i.to})`);
  assert.deepEqual(violations, []);
});

test('nothing in src/ imports the worker entry points, and src/api imports no worker', () => {
  const violations = all.filter((i) => (targetFolder(join(ROOT, i.file), i.spec) ?? '').includes('workers')).map((i) => `${i.file} imports ${i.spec}`);
  // The CLI starts the workers (cli/workers → everything): the only allowed place.
  assert.deepEqual(violations.filter((v) => !v.startsWith('src/cli/')), []);
});

test('domain modules import neither Express nor BullMQ\'s Worker', () => {
  const domain = ['budget', 'review', 'tools', 'trace', 'policy', 'pipeline', 'rego'];
  const violations = all
    .filter((i) => domain.includes(folderOf(i)))
    .filter((i) => i.spec === 'express' || (i.spec === 'bullmq' && /\bWorker\b/.test(i.names)))
    .map((i) => `${i.file} imports ${i.names} from ${i.spec}`);
  assert.deepEqual(violations, []);
});

test('the import scan sees the imports it checks (a scan that found nothing would pass vacuously)', () => {
  assert.ok(all.length > 300, `${all.length} imports`);
  assert.ok(all.some((i) => i.file === 'src/policy/compiled-policy.ts' && targetFolder(join(ROOT, i.file), i.spec) === 'rego'));
  assert.ok(all.some((i) => i.file.startsWith('src/cli/') && i.spec.includes('workers/')));
});
