// The tool registry of a running process: read from AIRLOCK_TOOLS at start (a bad file stops the start), then read
// again whenever the file changes. A changed file that cannot be read or validated keeps the previous registry serving.
import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import { loadToolRegistry, type ToolRegistry } from './registry.ts';

export interface ToolRegistryLog {
  info(fields: object, msg: string): void;
  error(fields: object, msg: string): void;
  warn(fields: object, msg: string): void;
}

export interface ReloadingToolRegistry extends ToolRegistry {
  /** Reads the file again; false (and the previous registry kept) when it cannot be read or validated. */
  reload(): boolean;
  /** Reloads when the file changes (debounced); returns a stop function. Nothing to watch without a file. */
  watch(debounceMs?: number): () => void;
}

export function createReloadingToolRegistry(file: string | null, log: ToolRegistryLog, onReload: (result: 'success' | 'failure') => void = () => undefined): ReloadingToolRegistry {
  let current = loadToolRegistry(file); // throws ToolRegistryError: the process does not start on a bad registry
  const registry: ReloadingToolRegistry = {
    get: (name) => current.get(name),
    list: () => current.list(),
    metadata: (name) => current.metadata(name),
    validateArgs: (name, args) => current.validateArgs(name, args),
    reload() {
      try {
        current = loadToolRegistry(file);
      } catch (e) {
        log.error({ file, err: (e as Error).message }, 'tool registry reload failed; the previous registry keeps serving');
        onReload('failure');
        return false;
      }
      log.info({ file, tools: current.list().length }, 'tool registry loaded');
      onReload('success');
      return true;
    },
    watch(debounceMs = 250) {
      if (!file) return () => undefined;
      // The folder is watched, not the file: editors and deploy tools replace a file rather than write into it.
      const name = basename(file);
      let timer: NodeJS.Timeout | null = null;
      let watcher: FSWatcher;
      try {
        watcher = watch(dirname(file), (_event, changed) => {
          if (changed !== null && changed !== name) return;
          if (timer) clearTimeout(timer);
          timer = setTimeout(() => {
            timer = null;
            registry.reload();
          }, debounceMs);
        });
      } catch (e) {
        log.warn({ file, err: (e as Error).message }, 'cannot watch the tool registry; reload disabled');
        return () => undefined;
      }
      watcher.on('error', (e) => log.warn({ file, err: e.message }, 'tool registry watcher error'));
      return () => {
        if (timer) clearTimeout(timer);
        watcher.close();
      };
    },
  };
  return registry;
}
