// Locates the compiled AssemblyScript runtime (build/runtime.wasm), building it first when missing or stale.
import { readFileSync, existsSync, statSync, readdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const runtimeWasm = join(root, 'build/runtime.wasm');
const runtimeSources = join(root, 'src/rego/wasm/runtime');

export class RuntimeBuildError extends Error {
  readonly code = 'runtime_build_failed';
}

let warnedStale = false;
let failedBuildOf = -1;
let cached: { bytes: Uint8Array; mtime: number } | undefined;

function newestSource(dir: string): number {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p);
    newest = Math.max(newest, st.isDirectory() ? newestSource(p) : st.mtimeMs);
  }
  return newest;
}

/** True where a broken runtime source must fail loudly instead of falling back to the last good build. */
function strictRuntimeBuild(): boolean {
  return process.env.AIRLOCK_RUNTIME_STRICT === '1' || (process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false');
}

/** The runtime module's bytes; rebuilds it with scripts/build-runtime.mjs when sources are newer. */
export function loadRuntimeBinary(): Uint8Array {
  // Profiling hook: a runtime built with `build-runtime.mjs --debug` (names kept), used as is.
  const override = process.env.AIRLOCK_RUNTIME_WASM;
  if (override) return new Uint8Array(readFileSync(override));
  const newest = existsSync(runtimeSources) ? newestSource(runtimeSources) : 0;
  const stale = !existsSync(runtimeWasm) || newest > statSync(runtimeWasm).mtimeMs;
  // Do not retry a failed rebuild until the sources change again.
  if (stale && newest !== failedBuildOf) {
    const r = spawnSync(process.execPath, [join(root, 'scripts/build-runtime.mjs')], { encoding: 'utf8' });
    if (r.status !== 0 || !existsSync(runtimeWasm)) {
      const detail = `${r.stderr ?? ''}${r.stdout ?? ''}`;
      if (!existsSync(runtimeWasm)) throw new RuntimeBuildError(`building the WebAssembly runtime failed:\n${detail}`);
      // CI and `npm test` must never pass on a stale runtime: there a failed rebuild is an error.
      if (strictRuntimeBuild()) throw new RuntimeBuildError(`building the WebAssembly runtime failed (strict: CI or AIRLOCK_RUNTIME_STRICT=1):\n${detail}`);
      // Keep working with the last good runtime (sources may be mid-edit); say so loudly.
      if (!warnedStale) process.stderr.write(`warning: rebuilding build/runtime.wasm failed, using the previous build:\n${detail}\n`);
      warnedStale = true;
      failedBuildOf = newest;
    }
  }
  const mtime = statSync(runtimeWasm).mtimeMs;
  if (!cached || cached.mtime !== mtime) cached = { bytes: new Uint8Array(readFileSync(runtimeWasm)), mtime };
  return cached.bytes;
}
