// Runs Airlock's checks: typecheck, node's test runner over the suites, and the Rego conformance corpora.
// Usage: node scripts/test.mjs [all|unit|integration|e2e|typecheck|conformance]   (default: all)
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const which = process.argv[2] ?? 'all';
const root = resolve(import.meta.dirname, '..');
const sharedCorpus = resolve(root, '..', 'shared', 'conformance', 'regorus-interpreter');
const ownCases = join(root, 'test', 'conformance', 'cases');

const failures = [];
const step = (name, cmd, args) => {
  console.log(`\n=== ${name}: ${[cmd, ...args].join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root });
  if (r.status !== 0) failures.push(name);
};

if (which === 'all') {
  // Build the WebAssembly runtime from its sources now, so every suite runs on exactly this tree's runtime;
  // AIRLOCK_RUNTIME_STRICT makes a failed rebuild an error instead of a fallback to an older build.
  process.env.AIRLOCK_RUNTIME_STRICT = '1';
  step('runtime', process.execPath, [join(root, 'scripts/build-runtime.mjs'), '--force']);
}

if (which === 'all' || which === 'typecheck') {
  step('typecheck', process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '--noEmit', '-p', 'tsconfig.json']);
}

const suites = which === 'all' ? ['unit', 'integration', 'e2e', 'adversarial'] : ['unit', 'integration', 'e2e', 'adversarial'].filter((s) => s === which);
const files = suites.flatMap((s) => collect(join(root, 'test', s)));
if (files.length > 0) {
  step('tests', process.execPath, ['--import', join(root, 'bin/preload-binaryen.mjs'), '--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=2', ...files]);
} else if (suites.length > 0) {
  console.error(`no test files under test/${suites.join(', test/')}`);
  failures.push('tests');
}

if (which === 'all' || which === 'conformance') {
  const corpora = [ownCases, sharedCorpus].filter((p) => existsSync(p));
  if (!existsSync(sharedCorpus)) console.log(`(the shared corpus ${sharedCorpus} is not on this machine; running our own cases only)`);
  step('conformance', process.execPath, [join(root, 'bin/airlock.js'), 'conformance', ...corpora]);
}

console.log(failures.length ? `\nFAILED: ${failures.join(', ')}` : '\nall checks passed');
process.exit(failures.length ? 1 : 0);

function collect(dir) {
  if (!existsSync(dir)) return [];
  let out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out = out.concat(collect(p));
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}
