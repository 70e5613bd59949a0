// Debounced reaction to file changes, for the hot reloads of a running process (policies, the tool registry).
import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';

export interface WatchLog {
  warn(fields: object, msg: string): void;
}

/**
 * Calls `onChange` once changes to `target` have settled for `debounceMs`; returns a stop function. A `tree` is watched
 * recursively (a policy folder); a `file` through its folder, so that a file replaced by rename (editors, deploy tools)
 * counts too. When the path cannot be watched, says so and returns a no-op: the process runs on without hot reload.
 */
export function watchChanges(target: { path: string; kind: 'tree' | 'file' }, onChange: () => void, opts: { what: string; log: WatchLog; debounceMs: number }): () => void {
  const name = target.kind === 'file' ? basename(target.path) : null;
  let timer: NodeJS.Timeout | null = null;
  let watcher: FSWatcher;
  try {
    const listener = (_event: string, changed: string | null) => {
      if (name !== null && changed !== null && changed !== name) return;
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        timer = null;
        onChange();
      }, opts.debounceMs);
    };
    watcher = target.kind === 'tree' ? watch(target.path, { recursive: true }, listener) : watch(dirname(target.path), listener);
  } catch (e) {
    opts.log.warn({ path: target.path, err: (e as Error).message }, `cannot watch ${opts.what}; hot reload disabled`);
    return () => undefined;
  }
  watcher.on('error', (e) => opts.log.warn({ path: target.path, err: e.message }, `watcher error on ${opts.what}`));
  return () => {
    if (timer) clearTimeout(timer);
    watcher.close();
  };
}
