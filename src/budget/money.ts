// Conversion between USD amounts on the wire and integer micro-dollars in Redis (no float drift).
import { BudgetInputError } from './errors.ts';

export const MICROS_PER_USD = 1_000_000;
const MAX_MICROS = 100_000_000 * MICROS_PER_USD;

/** USD → integer micro-dollars; rejects negative, NaN and infinite amounts. */
export function usdToMicros(usd: number, field = 'usd'): number {
  if (!Number.isFinite(usd) || usd < 0) throw new BudgetInputError(`${field} must be a finite, non-negative number (got ${usd})`);
  const micros = Math.round(usd * MICROS_PER_USD);
  // Lua formats numbers with 14 significant digits: keep amounts below $100M so every value stays an exact integer.
  if (micros > MAX_MICROS) throw new BudgetInputError(`${field} is too large (${usd})`);
  return micros;
}

/** Integer micro-dollars → USD for reading (policy input, API, metrics). */
export function microsToUsd(micros: number): number {
  return micros / MICROS_PER_USD;
}

/** Token counts are whole, non-negative numbers. */
export function checkTokens(tokens: number, field = 'tokens'): number {
  if (!Number.isSafeInteger(tokens) || tokens < 0) throw new BudgetInputError(`${field} must be a non-negative integer (got ${tokens})`);
  return tokens;
}

/** Formats micro-dollars for reasons shown to people: "$0.10". */
export function formatUsd(micros: number): string {
  const usd = microsToUsd(micros);
  return `$${usd < 0.01 && usd > 0 ? usd.toFixed(6) : usd.toFixed(2)}`;
}
