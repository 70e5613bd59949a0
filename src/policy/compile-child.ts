// The compile process's side (bin/compile-policy.mjs): compiles the folder given as its first argument for the
// entrypoints that follow, sends one message to its parent, and exits.
import { compilePolicyFolder } from './compiler.ts';
import { PolicyLoadError } from './errors.ts';
import type { CompileReply } from './compile-isolated.ts';

// The parent gone (killed, or exited mid-compile): nobody waits for the result.
process.once('disconnect', () => process.exit(1));

const [dir, ...entrypoints] = process.argv.slice(2);
let reply: CompileReply;
try {
  const artifact = await compilePolicyFolder(dir!, entrypoints);
  reply = { ok: true, wasm: artifact.wasm, data: artifact.data };
} catch (e) {
  reply = e instanceof PolicyLoadError
    ? { ok: false, code: e.code, message: e.message, details: e.details }
    : { ok: false, code: 'policy_compile_failed', message: `compiling ${dir} crashed: ${(e as Error).stack ?? String(e)}`, details: [] };
}
process.send!(reply, () => process.exit(0));
