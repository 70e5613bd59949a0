// Runs conformance cases on a pool of worker threads, each case under a time limit.
import { Worker } from 'node:worker_threads';
import type { ConformanceCase } from './cases.ts';
import type { CaseOutcome } from './run-case.ts';

export interface PoolOptions {
  workers: number;
  /** A case that takes longer (compile + all evaluations) fails with a timeout; its worker is replaced. */
  timeoutMs: number;
  onOutcome?: (c: ConformanceCase, o: CaseOutcome, index: number) => void;
}

export async function runCasesInPool(cases: ConformanceCase[], opts: PoolOptions): Promise<CaseOutcome[]> {
  const outcomes: CaseOutcome[] = new Array(cases.length);
  let next = 0;
  const entry = new URL('./worker-entry.mjs', import.meta.url);

  const lane = async (): Promise<void> => {
    let worker = await startWorker(entry);
    try {
      while (next < cases.length) {
        const index = next++;
        const c = cases[index]!;
        const outcome = await runOne(worker, index, c, opts.timeoutMs);
        if (outcome.status === 'fail' && /^(timeout|worker crashed)/.test(outcome.detail ?? '')) {
          await worker.terminate();
          worker = await startWorker(entry);
        }
        outcomes[index] = outcome;
        opts.onOutcome?.(c, outcome, index);
      }
    } finally {
      await worker.terminate();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.workers) }, lane));
  return outcomes;
}

function startWorker(entry: URL): Promise<Worker> {
  return new Promise((resolve, reject) => {
    const w = new Worker(entry, { stdout: false, stderr: false });
    const onMessage = (m: { ready?: boolean }) => {
      if (m.ready) {
        w.off('message', onMessage);
        w.off('error', reject);
        resolve(w);
      }
    };
    w.on('message', onMessage);
    w.once('error', reject);
  });
}

function runOne(worker: Worker, id: number, c: ConformanceCase, timeoutMs: number): Promise<CaseOutcome> {
  return new Promise((resolve) => {
    const done = (o: CaseOutcome) => {
      clearTimeout(timer);
      worker.off('message', onMessage);
      worker.off('error', onError);
      resolve(o);
    };
    const onMessage = (m: { id?: number; outcome?: CaseOutcome }) => {
      if (m.id === id && m.outcome) done(m.outcome);
    };
    const onError = (e: Error) => done({ status: 'fail', detail: `worker crashed: ${e.message}` });
    const timer = setTimeout(() => done({ status: 'fail', detail: `timeout after ${timeoutMs} ms` }), timeoutMs);
    worker.on('message', onMessage);
    worker.once('error', onError);
    worker.postMessage({ id, c });
  });
}
