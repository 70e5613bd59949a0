// Acceptance: 1,000 concurrent $0.10 actions against a $10 workflow cap through 4 decide worker processes → exactly 100 run,
// and at no sampled instant (nor in the executor's own log) do spent + reserved exceed the cap; then the same with execute
// workers killed (kill -9) mid-run: spend stays ≤ cap and the dead workers' reservations are reclaimed within lease + sweep interval.
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { budgetConfigFromPolicyData, createBudgetService, startBudgetSweeper } from '../../../src/budget/index.ts';
import { deletePrefix, REDIS_URL, testPolicyData } from './helpers.ts';
import { killHard, startWorker } from './harness/processes.ts';
import type { DecideJob, HarnessSettings } from './harness/worker.ts';

const CAP_MICROS = 10_000_000;
const N = 1000;

interface Run {
  settings: HarnessSettings;
  redis: Redis;
  queue: Queue<DecideJob>;
  children: ChildProcess[];
  dir: string;
  stopSampler(): Promise<{ samples: number; maxMicros: number }>;
  cleanup(): Promise<void>;
}

async function setUpRun(opts: { leaseMs: number; executeMs: number; executeConcurrency: number }): Promise<Run> {
  const id = randomUUID();
  const dir = mkdtempSync(join(tmpdir(), 'airlock-budget-'));
  const settings: HarnessSettings = {
    redisUrl: REDIS_URL,
    budgetPrefix: `test:budget:${id}:`,
    queuePrefix: `test:bull:${id}`,
    // Breakers are exercised elsewhere; here velocity must not interfere with the cap.
    policyData: testPolicyData({ workflowCapUsd: 10, breakers: { velocityUsdPerMinute: 1_000_000, loopCount: 1_000_000 } }),
    leaseMs: opts.leaseMs,
    decideConcurrency: 20,
    executeConcurrency: opts.executeConcurrency,
    executeMs: opts.executeMs,
    executorLog: join(dir, 'executor.log'),
    capUsd: 10,
  };
  writeFileSync(settings.executorLog, '');
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 2 });
  const queueConnection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const queue = new Queue<DecideJob>('decide', { connection: queueConnection, prefix: settings.queuePrefix });
  // Sample the workflow scope's spent + reserved as fast as Redis answers, for the whole run.
  const stateKey = `${settings.budgetPrefix}budget:state:workflow:wf-acc:all`;
  let sampling = true;
  let samples = 0;
  let maxMicros = 0;
  const sampler = (async () => {
    while (sampling) {
      const [spent, reserved] = await redis.hmget(stateKey, 'spentUsd', 'reservedUsd');
      maxMicros = Math.max(maxMicros, Number(spent ?? 0) + Number(reserved ?? 0));
      samples++;
      await new Promise((r) => setImmediate(r));
    }
  })();
  const run: Run = {
    settings, redis, queue, children: [], dir,
    async stopSampler() {
      sampling = false;
      await sampler;
      return { samples, maxMicros };
    },
    async cleanup() {
      sampling = false;
      await sampler.catch(() => undefined);
      await Promise.all(run.children.map(killHard));
      await queue.close();
      queueConnection.disconnect();
      await deletePrefix(redis, settings.budgetPrefix);
      await deletePrefix(redis, settings.queuePrefix);
      redis.disconnect();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return run;
}

function jobs(): { name: string; data: DecideJob; opts: { jobId: string } }[] {
  return Array.from({ length: N }, (_, i) => ({
    name: 'decide',
    data: { actionId: `act-${i}`, agentId: `agent-${i % 7}`, workflowId: 'wf-acc', tenant: 'acme', costUsd: 0.1 },
    opts: { jobId: `act-${i}` },
  }));
}

async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function executorLog(path: string): { started: string[]; done: { id: string; charged: number; spent: number; reserved: number }[] } {
  const started: string[] = [];
  const done: { id: string; charged: number; spent: number; reserved: number }[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const start = /^start (\S+)/.exec(line);
    if (start) started.push(start[1]!);
    const m = /^done (\S+) charged=([\d.]+) settled=true spent=([\d.]+) reserved=([\d.]+)/.exec(line);
    if (m) done.push({ id: m[1]!, charged: Number(m[2]), spent: Number(m[3]), reserved: Number(m[4]) });
  }
  return { started, done };
}

describe('budget acceptance with real worker processes (real Redis)', { timeout: 120_000 }, () => {
  const runs: Run[] = [];
  after(async () => { for (const r of runs) await r.cleanup(); });

  it('1,000 concurrent $0.10 actions, $10 cap, 4 decide workers → exactly 100 execute, never over the cap', async () => {
    const run = await setUpRun({ leaseMs: 30_000, executeMs: 5, executeConcurrency: 20 });
    runs.push(run);
    run.children.push(...(await Promise.all([
      startWorker('decide', run.settings), startWorker('decide', run.settings), startWorker('decide', run.settings), startWorker('decide', run.settings),
      startWorker('execute', run.settings), startWorker('execute', run.settings),
    ])));
    await run.queue.addBulk(jobs());
    const outcomes = `${run.settings.budgetPrefix}harness:outcomes`;
    await waitFor('all 1,000 outcomes', 90_000, async () => ((await run.redis.hlen(outcomes)) === N ? true : undefined));
    const { samples, maxMicros } = await run.stopSampler();

    const all = Object.values(await run.redis.hgetall(outcomes));
    assert.equal(all.filter((o) => o === 'executed').length, 100);
    assert.equal(all.filter((o) => o === 'denied:workflow:wf-acc').length, 900);
    const log = executorLog(run.settings.executorLog);
    assert.equal(new Set(log.done.map((d) => d.id)).size, 100, 'the executor ran 100 distinct actions');
    assert.equal(log.done.length, 100, 'and none twice');
    for (const d of log.done) assert.ok(Math.round((d.spent + d.reserved) * 1e6) <= CAP_MICROS, `executor saw ${d.spent}+${d.reserved}`);
    assert.ok(samples > 50, `sampled ${samples} times`);
    assert.ok(maxMicros <= CAP_MICROS, `sampled max spent+reserved ${maxMicros} µ$`);

    const budget = createBudgetService({ redis: run.redis, prefix: run.settings.budgetPrefix, clock: Date.now, config: budgetConfigFromPolicyData(run.settings.policyData) });
    const snap = await budget.snapshot(['workflow:wf-acc', 'tenant:acme']);
    assert.deepEqual([snap.scopes['workflow:wf-acc']!.spentUsd, snap.scopes['workflow:wf-acc']!.reservedUsd], [10, 0]);
    assert.equal(snap.scopes['tenant:acme']!.spentUsd, 10);
    console.log(`# overspend: ${samples} samples, max spent+reserved $${maxMicros / 1e6}, executed ${log.done.length}`);
  });

  it('execute workers killed with -9 mid-run: spend ≤ cap, dead reservations reclaimed within lease + sweep interval', async () => {
    const leaseMs = 3000;
    const sweepMs = 500;
    const run = await setUpRun({ leaseMs, executeMs: 300, executeConcurrency: 5 });
    runs.push(run);
    const budget = createBudgetService({ redis: run.redis, prefix: run.settings.budgetPrefix, clock: Date.now, config: budgetConfigFromPolicyData(run.settings.policyData), leaseMs });
    const sweeper = startBudgetSweeper({ budget, intervalMs: sweepMs, refreshMetrics: false });
    try {
      const executors = await Promise.all([startWorker('execute', run.settings), startWorker('execute', run.settings)]);
      run.children.push(...executors, ...(await Promise.all([0, 1, 2, 3].map(() => startWorker('decide', run.settings)))));
      await run.queue.addBulk(jobs());

      // Let some actions run, then kill both executors in the middle of their calls.
      await waitFor('15 executions', 60_000, async () => (executorLog(run.settings.executorLog).done.length >= 15 ? true : undefined));
      await Promise.all(executors.map(killHard));
      const killedAt = Date.now();
      const atKill = executorLog(run.settings.executorLog);
      const doneIds = new Set(atKill.done.map((d) => d.id));
      const inFlight = atKill.started.filter((id) => !doneIds.has(id));
      assert.ok(inFlight.length > 0, 'the kill hit actions in the middle of execution');

      // Their reservations must be reclaimed (or settled) within the lease plus one sweep interval (+ scheduling slack).
      const deadline = leaseMs + sweepMs + 1000;
      await waitFor('dead reservations reclaimed', deadline + 2000, async () => {
        const statuses = await Promise.all(inFlight.map((id) => run.redis.hget(`${run.settings.budgetPrefix}budget:res:${id}`, 'status')));
        return statuses.every((st) => st !== 'reserved') ? true : undefined;
      });
      const reclaimedAfter = Date.now() - killedAt;
      assert.ok(reclaimedAfter <= deadline, `reclaimed after ${reclaimedAfter} ms (limit ${deadline})`);

      // New executors pick up the stalled and waiting work; everything ends.
      run.children.push(...(await Promise.all([startWorker('execute', run.settings), startWorker('execute', run.settings)])));
      const outcomes = `${run.settings.budgetPrefix}harness:outcomes`;
      await waitFor('all 1,000 outcomes', 90_000, async () => ((await run.redis.hlen(outcomes)) === N ? true : undefined));
      await sweeper.sweepOnce();
      const { maxMicros } = await run.stopSampler();

      const snap = await budget.snapshot(['workflow:wf-acc']);
      const w = snap.scopes['workflow:wf-acc']!;
      assert.ok(w.spentUsd <= 10, `spent ${w.spentUsd}`);
      assert.equal(w.reservedUsd, 0, 'nothing left reserved');
      assert.equal(await run.redis.zcard(`${run.settings.budgetPrefix}budget:leases`), 0, 'no lease left');
      assert.ok(maxMicros <= CAP_MICROS, `sampled max ${maxMicros}`);
      // Every settled reservation belongs to an action the executor started; Redis spend is exactly their sum.
      // (A worker killed between settle and its "done" line leaves a settled action without "done": allowed, it ran once.)
      const log = executorLog(run.settings.executorLog);
      const started = new Set(log.started);
      let settledMicros = 0;
      const settledIds: string[] = [];
      for (let i = 0; i < N; i++) {
        const [status, chargedUsd] = await run.redis.hmget(`${run.settings.budgetPrefix}budget:res:act-${i}`, 'status', 'chargedUsd');
        if (status === 'settled') { settledMicros += Number(chargedUsd); settledIds.push(`act-${i}`); }
        assert.notEqual(status, 'reserved', `act-${i} still reserved`);
      }
      assert.equal(settledMicros, Math.round(w.spentUsd * 1e6), 'Redis spend equals the settled reservations');
      assert.ok(settledIds.every((id) => started.has(id)), 'only started actions were charged');
      assert.ok(log.done.every((d) => settledIds.includes(d.id)));
      assert.ok(settledMicros <= CAP_MICROS);
      const executed = Object.values(await run.redis.hgetall(outcomes)).filter((o) => o === 'executed').length;
      assert.equal(new Set(log.done.map((d) => d.id)).size, log.done.length, 'no action settled twice');
      assert.ok(executed >= log.done.length && executed <= settledIds.length);
      console.log(`# kill -9: ${inFlight.length} in flight at kill, reclaimed after ${reclaimedAfter} ms, executed ${executed}, spent $${w.spentUsd}`);
    } finally {
      await sweeper.stop();
    }
  });
});
