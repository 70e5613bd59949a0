// Budget windows (none/day/month, UTC): the period a timestamp falls in, used as part of the state key.

export const WINDOWS = ['none', 'day', 'month'] as const;
export type BudgetWindow = (typeof WINDOWS)[number];

/** Period id for a window at `nowMs`: "all", "2026-11-25" or "2026-11" (UTC), so keys roll over by themselves. */
export function periodOf(window: BudgetWindow, nowMs: number): string {
  if (window === 'none') return 'all';
  const iso = new Date(nowMs).toISOString();
  return window === 'day' ? iso.slice(0, 10) : iso.slice(0, 7);
}

/** How long a period's state key is kept after it was last written (seconds); 0 = forever. */
export function periodTtlSeconds(window: BudgetWindow): number {
  if (window === 'day') return 3 * 24 * 3600;
  if (window === 'month') return 62 * 24 * 3600;
  return 0;
}
