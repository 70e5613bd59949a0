// `airlock api`: runs the HTTP API process (needs AIRLOCK_REDIS_URL and AIRLOCK_TOKENS).
import type { Command } from 'commander';
import { startApiServer } from '../../api/server.ts';
import { loadConfig } from '../../config/index.ts';
import { createRuntime } from '../../pipeline/runtime.ts';
import { onShutdown } from '../../../workers/shutdown.ts';
import { disableAllocationSitePretenuring } from '../heap-tuning.ts';

export function register(program: Command): void {
  program
    .command('api')
    .description('run the HTTP API (POST /v1/actions, /v1/check, reviews, probes, metrics)')
    .action(async () => {
      disableAllocationSitePretenuring(); // before any traffic: see heap-tuning.ts
      const rt = await createRuntime(loadConfig(), 'api', { loadPolicy: true });
      const api = await startApiServer(rt);
      onShutdown(rt.logger, async () => {
        await api.close();
        await rt.close();
      });
    });
}
