// `airlock worker <decide|execute|review-expiry>`: runs one kind of pipeline worker process.
import type { Command } from 'commander';
import { loadConfig } from '../../config/index.ts';
import { createRuntime, type Runtime } from '../../pipeline/runtime.ts';
import type { RunningWorker } from '../../../workers/common.ts';
import { startDecideWorker } from '../../../workers/decide.ts';
import { startExecuteWorker } from '../../../workers/execute.ts';
import { startReviewExpiryWorker } from '../../../workers/review-expiry.ts';
import { onShutdown } from '../../../workers/shutdown.ts';
import { startWorkerMetricsFromEnv } from '../../metrics/server.ts';

const KINDS: Record<string, { start: (rt: Runtime) => RunningWorker; needsPolicy: boolean }> = {
  decide: { start: startDecideWorker, needsPolicy: true },
  execute: { start: startExecuteWorker, needsPolicy: true }, // policy data configures the budget caps used at settlement
  'review-expiry': { start: startReviewExpiryWorker, needsPolicy: true },
};

export function register(program: Command): void {
  program
    .command('worker')
    .description('run a pipeline worker: decide | execute | review-expiry')
    .argument('<kind>', Object.keys(KINDS).join(' | '))
    .action(async (kind: string) => {
      const k = KINDS[kind];
      if (!k) program.error(`unknown worker kind "${kind}" (use ${Object.keys(KINDS).join(', ')})`);
      const rt = await createRuntime(loadConfig(), kind, { loadPolicy: k.needsPolicy });
      const worker = k.start(rt);
      await startWorkerMetricsFromEnv({ host: rt.config.host, logger: rt.logger, pingRedis: () => rt.redis.ping() }); // issue 5: /metrics on AIRLOCK_METRICS_PORT
      onShutdown(rt.logger, async () => {
        await worker.close();
        await rt.close();
      });
    });
}
