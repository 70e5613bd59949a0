// `airlock worker <decide|execute|review-expiry>[,...]`: runs one kind of pipeline worker, or several kinds in one process.
import type { Command } from 'commander';
import { loadConfig } from '../../config/index.ts';
import { readiness, runtimeReadiness } from '../../pipeline/readiness.ts';
import { createRuntime, type Runtime } from '../../pipeline/runtime.ts';
import type { RunningWorker } from '../../../workers/common.ts';
import { startDecideWorker } from '../../../workers/decide.ts';
import { startExecuteWorker } from '../../../workers/execute.ts';
import { startReviewExpiryWorker } from '../../../workers/review-expiry.ts';
import { onShutdown } from '../../../workers/shutdown.ts';
import { metricsPortFromEnv, startWorkerMetrics } from '../../metrics/server.ts';

const KINDS: Record<string, { start: (rt: Runtime) => RunningWorker; needsPolicy: boolean }> = {
  decide: { start: startDecideWorker, needsPolicy: true },
  execute: { start: startExecuteWorker, needsPolicy: true }, // policy data configures the budget caps used at settlement
  'review-expiry': { start: startReviewExpiryWorker, needsPolicy: true },
};

export function register(program: Command): void {
  program
    .command('worker')
    .description('run pipeline workers: decide | execute | review-expiry, or several kinds in one process (e.g. decide,execute)')
    .argument('<kinds>', `${Object.keys(KINDS).join(' | ')}, comma-separated for several in one process`)
    .action(async (spec: string) => {
      const kinds = [...new Set(spec.split(',').map((s) => s.trim()).filter(Boolean))];
      const unknown = kinds.filter((kind) => !KINDS[kind]);
      if (kinds.length === 0 || unknown.length > 0) program.error(`unknown worker kind "${unknown[0] ?? spec}" (use ${Object.keys(KINDS).join(', ')})`);
      const config = loadConfig();
      const metricsPort = metricsPortFromEnv(); // validated with the rest of the settings, before anything starts
      const rt = await createRuntime(config, kinds.join('+'), { loadPolicy: kinds.some((kind) => KINDS[kind]!.needsPolicy) });
      const workers = kinds.map((kind) => KINDS[kind]!.start(rt));
      const probes = runtimeReadiness(rt);
      // issue 5: /metrics on AIRLOCK_METRICS_PORT; /readyz there too, for orchestrators' readiness probes
      await startWorkerMetrics(metricsPort, { host: rt.config.host, logger: rt.logger, pingRedis: probes.pingRedis, readiness: () => readiness(probes) });
      onShutdown(rt.logger, async () => {
        await Promise.all(workers.map((w) => w.close()));
        await rt.close();
      });
    });
}
