// Long-polling support: resolves when an action reaches a final state, from the store's final-state notifications.
import type { Redis } from 'ioredis';
import type { ActionRecord } from './action.ts';
import { isFinal } from './action.ts';
import { decodeFinalMessage, type ActionStore } from './action-store.ts';

/** A registration made before the action can become final (e.g. before it is enqueued), so no read is needed to close the race. */
export interface FinalWatch {
  /** The action once final (from the notification itself), or as it is when the timeout passes. */
  wait(timeoutMs: number): Promise<ActionRecord | null>;
  cancel(): void;
}

export interface FinalWaiter {
  /** The action once final, or as it is when the timeout passes. */
  waitForFinal(id: string, timeoutMs: number): Promise<ActionRecord | null>;
  /** Starts listening for `id` now; call `wait` later (after enqueueing), or `cancel`. */
  watch(id: string): FinalWatch;
  close(): Promise<void>;
}

type Wake = (action: ActionRecord | null) => void;

/** `subscriber` must be a connection of its own (it enters subscribe mode). */
export async function createFinalWaiter(store: ActionStore, subscriber: Redis): Promise<FinalWaiter> {
  const waiters = new Map<string, Set<Wake>>();
  await subscriber.subscribe(store.finalChannel);
  subscriber.on('message', (_channel: string, message: string) => {
    const msg = decodeFinalMessage(message);
    const set = waiters.get(msg.id);
    if (!set) return; // most notifications are for actions nobody here waits for: not even parsed
    waiters.delete(msg.id);
    const action = msg.action();
    for (const wake of set) wake(action);
  });

  function register(id: string): { woken: Promise<ActionRecord | null>; remove: () => void } {
    let wake!: Wake;
    const woken = new Promise<ActionRecord | null>((r) => (wake = r));
    let set = waiters.get(id);
    if (!set) waiters.set(id, (set = new Set()));
    set.add(wake);
    return {
      woken,
      remove: () => {
        const s = waiters.get(id);
        if (!s) return;
        s.delete(wake);
        if (s.size === 0) waiters.delete(id);
      },
    };
  }

  async function until(id: string, woken: Promise<ActionRecord | null>, remove: () => void, timeoutMs: number): Promise<ActionRecord | null> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = Symbol('timeout');
    const got = await Promise.race([woken, new Promise<typeof timedOut>((r) => (timer = setTimeout(() => r(timedOut), timeoutMs)))]);
    clearTimeout(timer);
    remove();
    if (got !== timedOut && got && isFinal(got.status)) return got;
    return store.get(id); // timed out, closed, or an undecodable notification: read the store
  }

  return {
    async waitForFinal(id, timeoutMs) {
      const { woken, remove } = register(id);
      // Registered before reading, so a transition between the read and the wait is not missed.
      const current = await store.get(id);
      if (!current || isFinal(current.status) || timeoutMs <= 0) {
        remove();
        return current;
      }
      return until(id, woken, remove, timeoutMs);
    },
    watch(id) {
      const { woken, remove } = register(id);
      return { wait: (timeoutMs) => until(id, woken, remove, timeoutMs), cancel: remove };
    },
    async close() {
      for (const set of waiters.values()) for (const wake of set) wake(null);
      waiters.clear();
      await subscriber.quit().catch(() => undefined);
    },
  };
}
