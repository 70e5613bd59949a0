// Loads the budget Lua scripts (src/budget/lua/*.lua) once per connection with ioredis defineCommand and calls them by name.
import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';

type Reply = string | number | null | Reply[];
type ScriptFn = (numKeys: number, ...keysAndArgs: (string | number)[]) => Promise<Reply>;

const SCRIPTS = {
  reserve: 'reserve-4+2n.lua',
  settle: 'settle-3.lua',
  release: 'release-2.lua',
  renewLease: 'renewLease-2.lua',
  recordAttempt: 'recordAttempt-2+3n.lua',
  resetBreaker: 'resetBreaker-3.lua',
  snapshot: 'snapshot-1+2n.lua',
} as const;

export type ScriptName = keyof typeof SCRIPTS;

const sources = new Map<ScriptName, string>();
function source(name: ScriptName): string {
  let text = sources.get(name);
  if (text === undefined) {
    text = readFileSync(new URL(`./lua/${SCRIPTS[name]}`, import.meta.url), 'utf8');
    sources.set(name, text);
  }
  return text;
}

const commandName = (name: ScriptName): string => `airlockBudget_${name}`;

export interface BudgetScripts {
  /** Runs a script with its keys and arguments (EVALSHA, falling back to EVAL once per connection). */
  run(name: ScriptName, keys: string[], args: (string | number)[]): Promise<Reply>;
}

/** Defines every budget script on the connection (idempotent) and returns a caller. */
export function loadBudgetScripts(redis: Redis): BudgetScripts {
  const commands = redis as unknown as Record<string, ScriptFn | undefined>;
  for (const name of Object.keys(SCRIPTS) as ScriptName[]) {
    if (typeof commands[commandName(name)] !== 'function') redis.defineCommand(commandName(name), { lua: source(name) });
  }
  return {
    run(name, keys, args) {
      const fn = commands[commandName(name)] as ScriptFn;
      return fn.call(redis, keys.length, ...keys, ...args);
    },
  };
}

export type { Reply };
