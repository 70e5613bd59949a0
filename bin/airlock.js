#!/usr/bin/env -S node --no-memory-reducer
// The `airlock` command: runs the TypeScript sources through tsx's loader.
// --no-memory-reducer: without it every Airlock process runs memory-reducer mark-compacts about 30 s after start (in the
// isolate of tsx's loader thread), all processes at once, and on two cores /v1/check requests wait for them: checks over
// 6 ms in the last 10 s of a 30 s window 46 / 19 / 47 without the flag, 5 / 1 / 0 with it (three pairs). It must be on
// the command line: set from inside the process (v8.setFlagsFromString before tsx's loader starts) it did not remove
// them. `npm start` and the test harness (AIRLOCK_NODE_FLAGS) pass it too.
import { register } from 'tsx/esm/api';

// Only the commands that run Airlock's compiler in this process load binaryen (preload-binaryen.mjs says why here, before
// tsx's loader). The services (`up`, `api`, `worker`) compile their policy in a process of their own
// (src/policy/compile-isolated.ts) and never load it.
if (['policy', 'conformance'].includes(process.argv[2] ?? '')) await import('./preload-binaryen.mjs');

register();
await import('../src/cli/main.ts');
