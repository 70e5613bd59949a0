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

/** The waiter on a Redis subscription; `subscribed` resolves once notifications first flow (the subscription is made in the background). */
export type SubscribedFinalWaiter = FinalWaiter & { readonly subscribed: Promise<void> };

type Wake = (action: ActionRecord | null) => void;

/**
 * `subscriber` must be a connection of its own (it enters subscribe mode). The waiter is usable at once, also while Redis
 * is unreachable (the API then starts and answers /readyz with 503 instead of not listening at all): a wait that begins
 * while the subscription is not established reads the store every `pollMs` instead of counting on a notification.
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
      firstSubscription();
    }, () => undefined); // the connection's own error log reports why; 'ready' tries again
  // ioredis subscribes again by itself after a reconnect; doing it here too tells us when notifications flow again.
  subscriber.on('close', () => (listening = false));
  subscriber.on('ready', () => void (listening || closed ? undefined : subscribe()));
  void subscribe();
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
    const done = { yes: false };
    const racers: Array<Promise<ActionRecord | null | typeof timedOut>> = [woken, new Promise<typeof timedOut>((r) => (timer = setTimeout(() => r(timedOut), timeoutMs)))];
    if (!listening) racers.push(pollForFinal(id, done));
    const got = await Promise.race(racers);
    done.yes = true;
    clearTimeout(timer);
    remove();
    if (got !== timedOut && got && isFinal(got.status)) return got;
    return store.get(id); // timed out, closed, or an undecodable notification: read the store
  }

  /** Reads the store every pollMs until the action is final (never resolves otherwise; stops once `done.yes`). */
  async function pollForFinal(id: string, done: { yes: boolean }): Promise<ActionRecord> {
    for (;;) {
      await new Promise((r) => setTimeout(r, pollMs));
      if (done.yes || closed) return new Promise<never>(() => undefined);
      const current = await store.get(id).catch(() => null);
      if (current && isFinal(current.status)) return current;
    }
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
      for (const set of waiters.values()) for (const wake of set) wake(null);
      waiters.clear();
      // QUIT would wait in the offline queue for a Redis that is away (this connection retries forever): just drop it then.
      if (subscriber.status === 'ready') await subscriber.quit().catch(() => undefined);
      else subscriber.disconnect();
    },
  };
}
