// Compiling a policy folder in a child process (bin/compile-policy.mjs) instead of in the calling one. Airlock's
// long-running processes load their policy this way: binaryen and the compiler's garbage stay out of their memory
// (RSS of an idle API ≈ 285 MB with an in-process compile), a compile never blocks their event loop (a hot reload would
// stall every request for the ≈ 0.5 s it takes), and a compiler crash is a failed load, not a dead process.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { PolicyArtifact } from './compiled-policy.ts';
import { DECISION_ENTRYPOINT } from './decision.ts';
import { PolicyLoadError, type PolicyErrorCode } from './errors.ts';

/** The one message the compile process sends. */
export type CompileReply =
  | { ok: true; wasm: Uint8Array; data: unknown }
  | { ok: false; code: PolicyErrorCode; message: string; details: string[] };

const ENTRY = fileURLToPath(new URL('../../bin/compile-policy.mjs', import.meta.url));

/** How long a compile may take before its process is killed and the load fails. */
export const COMPILE_TIMEOUT_MS = 120_000;

export function compilePolicyFolderIsolated(dir: string, entrypoints: string[] = [DECISION_ENTRYPOINT], timeoutMs = COMPILE_TIMEOUT_MS): Promise<PolicyArtifact> {
  return new Promise((resolve, reject) => {
    // No inherited node flags (a test runner's or a profiler's): the compile process needs none.
    const child = fork(ENTRY, [dir, ...entrypoints], { execArgv: [], serialization: 'advanced', stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    let stderr = '';
    child.stderr!.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)));
    let reply: CompileReply | null = null;
    child.once('message', (m) => (reply = m as CompileReply));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    const fail = (message: string) => reject(new PolicyLoadError('policy_compile_failed', message, stderr.trim() ? [stderr.trim()] : []));
    child.once('error', (e) => {
      clearTimeout(timer);
      fail(`the compile process for ${dir} could not run: ${e.message}`);
    });
    child.once('close', (code, signal) => { // after the IPC channel closed: the reply, if any, has arrived
      clearTimeout(timer);
      const r = reply as CompileReply | null;
      if (r?.ok) resolve({ wasm: new Uint8Array(r.wasm), data: r.data ?? {}, source: dir });
      else if (r) reject(new PolicyLoadError(r.code, r.message, r.details));
      else if (timedOut) fail(`compiling ${dir} took longer than ${timeoutMs / 1000} s (the compile process was killed)`);
      else fail(`the compile process for ${dir} exited (${signal ?? `code ${code}`}) without a result`);
    });
  });
}
