// Compiles the AssemblyScript runtime (src/rego/wasm/runtime) into build/runtime.wasm when its sources are newer.
// Usage: node scripts/build-runtime.mjs [--force] [--debug]
//   Runs on `npm ci`/`npm install` (package.json `prepare`), so a fresh checkout has build/runtime.wasm;
//   the compiler also rebuilds it when missing or older than its sources (src/rego/wasm/runtime-binary.ts).
//   CI/`npm test` should run it with --force first: a failure then exits non-zero instead of leaving a stale build.
//   --debug writes build/runtime-debug.wasm with a name section (profiles show runtime function names);
//   point the compiler at it with AIRLOCK_RUNTIME_WASM=build/runtime-debug.wasm.
import { readdirSync, statSync, mkdirSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const runtimeDir = join(root, 'src/rego/wasm/runtime');
const debug = process.argv.includes('--debug');
const out = join(root, debug ? 'build/runtime-debug.wasm' : 'build/runtime.wasm');

function sources(dir) {
  let files = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) files = files.concat(sources(p));
    else if (name.endsWith('.ts')) files.push(p);
  }
  return files;
}

const all = sources(runtimeDir);
const force = process.argv.includes('--force');
if (!force && existsSync(out)) {
  const built = statSync(out).mtimeMs;
  if (all.every((f) => statSync(f).mtimeMs < built) && statSync(fileURLToPath(import.meta.url)).mtimeMs < built) {
    process.exit(0);
  }
}

// Entries: the ABI entry plus every builtins file (their exports become module exports).
const rel = (p) => p.slice(root.length + 1);
const builtinsDir = join(runtimeDir, 'builtins');
const entries = [join(runtimeDir, 'index.ts')];
if (existsSync(builtinsDir)) entries.push(...sources(builtinsDir));

mkdirSync(dirname(out), { recursive: true });
const { default: asc } = await import('assemblyscript/asc');
const args = [
  ...entries.map(rel),
  '--outFile', rel(out),
  '--textFile', rel(out.replace(/\.wasm$/, '.wat')),
  '--runtime', 'stub',
  '--importMemory',
  '--noExportMemory',
  '--initialMemory', '2',
  '--use', 'abort=src/rego/wasm/runtime/memory/runtimeAbort',
  '-O3',
  '--noAssert',
  ...(debug ? ['--debug'] : []),
  '--baseDir', root,
];
const t0 = Date.now();
const { error, stderr } = await asc.main(args, {});
if (error) {
  console.error(stderr.toString());
  console.error(`build-runtime: ${error.message}`);
  process.exit(1);
}
console.error(`build-runtime: wrote ${rel(out)} in ${Date.now() - t0} ms`);
