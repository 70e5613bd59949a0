// Conformance worker thread: receives cases from the pool, runs them, posts outcomes back.
import { parentPort } from 'node:worker_threads';
import { runCase } from './run-case.ts';
import type { ConformanceCase } from './cases.ts';

if (!parentPort) throw new Error('conformance worker must run in a worker thread');
const port = parentPort;
port.on('message', async (msg: { id: number; c: ConformanceCase }) => {
  const outcome = await runCase(msg.c);
  port.postMessage({ id: msg.id, outcome });
});
port.postMessage({ ready: true });
