// Smoke test: every module of the regorus conformance corpus parses (v0-compatible mode, as the corpus README says).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import { parseModule } from '../../../../src/rego/syntax/parser.ts';
import { formatRegoError } from '../../../../src/rego/syntax/ast.ts';

const repoRoot = resolve(fileURLToPath(import.meta.url), '..', '..', '..', '..', '..');
const corpus = resolve(repoRoot, '..', 'shared', 'conformance', 'regorus-interpreter');

interface Case {
  note?: string;
  modules?: string[];
  error?: unknown;
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return yamlFiles(p);
    return p.endsWith('.yaml') ? [p] : [];
  });
}

test('every module of the regorus conformance corpus parses', { skip: !existsSync(corpus) && `no corpus at ${corpus}` }, (t) => {
  let parsed = 0;
  let errorCasesRejected = 0;
  let errorCasesParsed = 0;
  const failures: string[] = [];
  const t0 = performance.now();
  for (const file of yamlFiles(corpus)) {
    const rel = relative(corpus, file);
    // One file of the corpus is not strictly valid YAML in an expected value; its modules are fine.
    const doc = parseDocument(readFileSync(file, 'utf8'), { strict: false }).toJS() as { cases?: Case[] } | null;
    // The corpus README: binding/bindings.yaml is plain Rego v1, everything else v0-compatible.
    const regoVersion = rel === join('binding', 'bindings.yaml') ? 1 : 0;
    for (const c of doc?.cases ?? []) {
      (c.modules ?? []).forEach((text, i) => {
        const r = parseModule(`${rel}:${c.note}:${i}`, text, { regoVersion });
        if (c.error !== undefined) {
          if (r.module) errorCasesParsed++;
          else errorCasesRejected++;
        } else if (r.module) {
          parsed++;
        } else {
          failures.push(...r.errors.map(formatRegoError));
        }
      });
    }
  }
  const ms = performance.now() - t0;
  t.diagnostic(`modules of cases without error: ${parsed} parsed, ${failures.length} errors`);
  t.diagnostic(`modules of cases expecting an error: ${errorCasesRejected} rejected by the parser, ${errorCasesParsed} parsed (later stages must fail them)`);
  t.diagnostic(`${ms.toFixed(0)} ms including YAML`);
  assert.ok(parsed > 300, `only ${parsed} modules found`);
  assert.deepEqual(failures, []);
});

test('the shipped policies parse as Rego v1, in a few ms', { skip: !existsSync(join(repoRoot, 'policies')) && 'no policies/' }, (t) => {
  const dir = join(repoRoot, 'policies');
  const files = readdirSync(dir).filter((f) => f.endsWith('.rego')).sort();
  const texts = files.map((f) => [f, readFileSync(join(dir, f), 'utf8')] as const);
  const failures: string[] = [];
  for (const [f, text] of texts) failures.push(...parseModule(f, text, { regoVersion: 1 }).errors.map(formatRegoError));
  assert.deepEqual(failures, []);
  let best = Infinity;
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    for (const [f, text] of texts) parseModule(f, text, { regoVersion: 1 });
    best = Math.min(best, performance.now() - t0);
  }
  const lines = texts.reduce((n, [, text]) => n + text.split('\n').length, 0);
  t.diagnostic(`${files.length} files, ${lines} lines parsed in ${best.toFixed(1)} ms (best of 5)`);
});
