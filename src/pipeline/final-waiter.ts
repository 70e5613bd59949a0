// Long-polling support: resolves when an action reaches a final state, from the store's final-state notifications.
import type { Redis } from 'ioredis';
import type { ActionRecord } from './action.ts';
import { isFinal } from './action.ts';
import type { ActionStore } from './action-store.ts';

export interface FinalWaiter {
  /** The action once final, or as it is when the timeout passes. */
  waitForFinal(id: string, timeoutMs: number): Promise<ActionRecord | null>;
  close(): Promise<void>;
}

/** `subscriber` must be a connection of its own (it enters subscribe mode). */
export async function createFinalWaiter(store: ActionStore, subscriber: Redis): Promise<FinalWaiter> {
  const waiters = new Map<string, Set<() => void>>();
  await subscriber.subscribe(store.finalChannel);
  subscriber.on('message', (_channel: string, message: string) => {
    const id = message.slice(0, message.indexOf(' '));
    const set = waiters.get(id);
    if (!set) return;
    waiters.delete(id);
    for (const wake of set) wake();
  });
  return {
    async waitForFinal(id, timeoutMs) {
      let wake!: () => void;
      const woken = new Promise<void>((r) => (wake = r));
      let set = waiters.get(id);
      if (!set) waiters.set(id, (set = new Set()));
      set.add(wake);
      // Registered before reading, so a transition between the read and the wait is not missed.
      const current = await store.get(id);
      if (!current || isFinal(current.status) || timeoutMs <= 0) {
        set.delete(wake);
        if (set.size === 0) waiters.delete(id);
        return current;
      }
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([woken, new Promise<void>((r) => (timer = setTimeout(r, timeoutMs)))]);
      clearTimeout(timer);
      const s = waiters.get(id);
      if (s) {
        s.delete(wake);
        if (s.size === 0) waiters.delete(id);
      }
      return store.get(id);
    },
    async close() {
      for (const set of waiters.values()) for (const wake of set) wake();
      waiters.clear();
      await subscriber.quit().catch(() => undefined);
    },
  };
}
