// Loads the budget Lua scripts (src/budget/lua/*.lua) once per connection with ioredis defineCommand and calls them by name,
// alone or two in one step (one round trip, atomic) where the pipeline always runs them back to back.
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

/**
 * Two scripts run as one: `first`, then `second` — always, or only when the first reply starts with 1 (a reservation
 * that was granted). In the conditional form an error of `second` is caught and returned, so the first step's
 * writes and its reply are never lost to it (Redis does not roll a script back).
 */
const PAIRS = {
  recordAttemptThenSnapshot: { first: 'recordAttempt', second: 'snapshot', onlyIfFirstOk: false },
  reserveThenRecordAttempt: { first: 'reserve', second: 'recordAttempt', onlyIfFirstOk: true },
} as const satisfies Record<string, { first: ScriptName; second: ScriptName; onlyIfFirstOk: boolean }>;

export type PairName = keyof typeof PAIRS;

/** The reply of a pair: the first script's reply, the second's (absent when it did not run), and the second's error. */
export interface PairReply {
  first: Reply;
  second: Reply | null;
  secondError: string | null;
}

const sources = new Map<ScriptName, string>();
function source(name: ScriptName): string {
  let text = sources.get(name);
  if (text === undefined) {
    text = readFileSync(new URL(`./lua/${SCRIPTS[name]}`, import.meta.url), 'utf8');
    sources.set(name, text);
  }
  return text;
}

/** Each script becomes a local function of KEYS and ARGV; ARGV[1] and ARGV[2] say how many keys and arguments are the first's. */
function pairSource(name: PairName): string {
  const { first, second, onlyIfFirstOk } = PAIRS[name];
  const run = onlyIfFirstOk
    ? [
        'if type(r1) ~= "table" or r1[1] ~= 1 then return {r1} end',
        'local ok, r2 = pcall(second, k2, a2)',
        'if ok then return {r1, r2} end',
        'return {r1, {}, type(r2) == "table" and r2.err or tostring(r2)}',
      ]
    : ['return {r1, second(k2, a2)}'];
  return [
    `local function first(KEYS, ARGV)\n${source(first)}\nend`,
    `local function second(KEYS, ARGV)\n${source(second)}\nend`,
    'local nKeys, nArgs = tonumber(ARGV[1]), tonumber(ARGV[2])',
    'local k1, a1, k2, a2 = {}, {}, {}, {}',
    'for i = 1, #KEYS do if i <= nKeys then k1[#k1 + 1] = KEYS[i] else k2[#k2 + 1] = KEYS[i] end end',
    'for i = 3, #ARGV do if i - 2 <= nArgs then a1[#a1 + 1] = ARGV[i] else a2[#a2 + 1] = ARGV[i] end end',
    'local r1 = first(k1, a1)',
    ...run,
  ].join('\n');
}

const commandName = (name: ScriptName | PairName): string => `airlockBudget_${name}`;

/** One script's keys and arguments. */
export interface ScriptCall {
  keys: string[];
  args: (string | number)[];
}

export interface BudgetScripts {
  /** Runs a script with its keys and arguments (EVALSHA, falling back to EVAL once per connection). */
  run(name: ScriptName, keys: string[], args: (string | number)[]): Promise<Reply>;
  /** Runs two scripts as one step (see PAIRS). */
  runPair(name: PairName, first: ScriptCall, second: ScriptCall): Promise<PairReply>;
}

/** Defines every budget script on the connection (idempotent) and returns a caller. */
export function loadBudgetScripts(redis: Redis): BudgetScripts {
  const commands = redis as unknown as Record<string, ScriptFn | undefined>;
  for (const name of Object.keys(SCRIPTS) as ScriptName[]) {
    if (typeof commands[commandName(name)] !== 'function') redis.defineCommand(commandName(name), { lua: source(name) });
  }
  for (const name of Object.keys(PAIRS) as PairName[]) {
    if (typeof commands[commandName(name)] !== 'function') redis.defineCommand(commandName(name), { lua: pairSource(name) });
  }
  return {
    run(name, keys, args) {
      const fn = commands[commandName(name)] as ScriptFn;
      return fn.call(redis, keys.length, ...keys, ...args);
    },
    async runPair(name, first, second) {
      const fn = commands[commandName(name)] as ScriptFn;
      const keys = [...first.keys, ...second.keys];
      const reply = await fn.call(redis, keys.length, ...keys, first.keys.length, first.args.length, ...first.args, ...second.args);
      if (!Array.isArray(reply)) throw new Error(`budget script pair ${name}: unexpected reply`);
      return { first: reply[0] ?? null, second: reply.length > 1 ? reply[1]! : null, secondError: typeof reply[2] === 'string' ? reply[2] : null };
    },
  };
}

export type { Reply };
