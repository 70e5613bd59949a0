// Reruns a callback when files under a folder change (`airlock policy test --watch`), debounced and never overlapping.
import { watch } from 'node:fs';

export interface WatchHandle {
  close(): void;
}

export function watchFolder(dir: string, onChange: () => Promise<void>, debounceMs = 150): WatchHandle {
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let again = false;
  const run = async (): Promise<void> => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      await onChange();
    } finally {
      running = false;
      if (again) {
        again = false;
        void run();
      }
    }
  };
  const watcher = watch(dir, { recursive: true }, (_event, name) => {
    if (name && !/\.(rego|json)$/.test(String(name))) return;
    clearTimeout(timer);
    timer = setTimeout(() => void run(), debounceMs);
  });
  return {
    close() {
      clearTimeout(timer);
      watcher.close();
    },
  };
}
