// The tool registry of a running process: read from AIRLOCK_TOOLS at start (a bad file stops the start), then read
// again whenever the file changes. A changed file that cannot be read or validated keeps the previous registry serving.
import { watchChanges } from '../policy/watch-changes.ts';
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
      return watchChanges({ path: file, kind: 'file' }, () => void registry.reload(), { what: 'the tool registry', log, debounceMs });
    },
  };
  return registry;
}
