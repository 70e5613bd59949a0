// Long-polling support: resolves when an action reaches a final state, from the store's final-state notifications.
import type { Redis } from 'ioredis';
import { closeConnection } from '../queue/connection.ts';
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

/** The waiter on a Redis subscription; `subscribed` resolves once notifications first flow (the subscription is made in the background). */
export type SubscribedFinalWaiter = FinalWaiter & { readonly subscribed: Promise<void> };

type Wake = (action: ActionRecord | null) => void;

/**
 * `subscriber` must be a connection of its own (it enters subscribe mode). The waiter is usable at once, also while Redis
 * is unreachable (the API then starts and answers /readyz with 503 instead of not listening at all). Notifications
 * published while the subscription is down are lost, so meanwhile one poller reads the store for every waiting action
 * each `pollMs`, and once more after the subscription is back (a notification may have gone out in the gap).
 */
export function createFinalWaiter(store: ActionStore, subscriber: Redis, opts: { pollMs?: number } = {}): SubscribedFinalWaiter {
  const pollMs = opts.pollMs ?? 250;
  const waiters = new Map<string, Set<Wake>>();
  let listening = false;
  let closed = false;
  let firstSubscription!: () => void;
  const subscribed = new Promise<void>((r) => (firstSubscription = r));
  const subscribe = () =>
    subscriber.subscribe(store.finalChannel).then(() => {
      listening = true;
      catchUp = true;
      firstSubscription();
    }, () => undefined); // the connection's own error log reports why; 'ready' tries again
  // ioredis subscribes again by itself after a reconnect; doing it here too tells us when notifications flow again.
  subscriber.on('close', () => {
    listening = false;
    startPolling();
  });
  subscriber.on('ready', () => void (listening || closed ? undefined : subscribe()));
  subscriber.on('message', (_channel: string, message: string) => {
    const msg = decodeFinalMessage(message);
    if (!waiters.has(msg.id)) return; // most notifications are for actions nobody here waits for: not even parsed
    wakeAll(msg.id, msg.action());
  });

  function wakeAll(id: string, action: ActionRecord | null): void {
    const set = waiters.get(id);
    if (!set) return;
    waiters.delete(id);
    for (const wake of set) wake(action);
  }

  // The poller: runs only while the subscription is down, plus one pass after it is back.
  let pollTimer: NodeJS.Timeout | null = null;
  let polling = false;
  let catchUp = false;
  function startPolling(): void {
    if (pollTimer || closed) return;
    pollTimer = setInterval(() => void pollOnce(), pollMs);
    pollTimer.unref(); // never what keeps a process alive
  }
  async function pollOnce(): Promise<void> {
    if (polling) return; // the previous pass still waits for Redis
    if (closed || (listening && !catchUp)) {
      if (pollTimer) clearInterval(pollTimer);
      pollTimer = null;
      return;
    }
    if (listening) catchUp = false; // this pass is the catch-up
    polling = true;
    try {
      await Promise.all([...waiters.keys()].map(async (id) => {
        const current = await store.get(id).catch(() => null);
        if (current && isFinal(current.status)) wakeAll(id, current);
      }));
    } finally {
      polling = false;
    }
  }
  startPolling();
  void subscribe();

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
    subscribed,
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
      closed = true;
      if (pollTimer) clearInterval(pollTimer);
      pollTimer = null;
      for (const set of waiters.values()) for (const wake of set) wake(null);
      waiters.clear();
      await closeConnection(subscriber); // without waiting for a Redis that is away
    },
  };
}
