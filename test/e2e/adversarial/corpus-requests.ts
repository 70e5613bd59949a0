// Turns adversarial corpus cases into real API requests: bodies, the cases the API refuses at its boundary, the tool registry and clocks.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { argsForCase, DEFAULT_NOW, type AdversarialCase, type Corpus } from '../../adversarial/corpus.ts';
import { ROOT } from '../pipeline/harness.ts';

export const CASES_FILE = join(ROOT, 'test/adversarial/cases.yaml');
const TOOLS_FILE = join(ROOT, 'test/adversarial/tools.yaml');
const POLICY_DATA_FILE = join(ROOT, 'policies/data.json');

/**
 * Cases whose request the API's schema refuses before any policy runs (400 invalid_request), with the field it must name.
 * They can be sent as JSON, but the wire contract (src/api/routes/actions.ts) wants `args` an object, a non-empty tool
 * name and a non-negative numeric estimate: the refusal is the nearest real outcome, and it is never an allow.
 */
export const BOUNDARY_REFUSALS: Readonly<Record<string, string>> = {
  'empty tool name': 'body.tool',
  'arguments as a list': 'body.args',
  'arguments as a string': 'body.args',
  'arguments null': 'body.args',
  'estimate as a string': 'body.estimate.costUsd',
  'token estimate as a word': 'body.estimate.tokens',
  'negative cost estimate': 'body.estimate.costUsd',
};

/** Allowed and reviewed cases also sent through POST /v1/actions (every expected deny is sent too). */
export const SUBMITTED_ALLOWS = [
  'unknown agent may echo',
  '12 levels of nesting is fine',
  'prompt injection text echoed back',
  'read-only tautology is still read-only',
  'Arabic e-mail body to an allowed domain',
  'refund just under the auto limit',
  'French refund request in the context only',
  'a few replicas',
];
export const SUBMITTED_REVIEWS = [
  'echo with a Cyrillic e',
  'refund just over the auto limit',
  'ops deleting a file goes to a human',
  'SSN in arguments',
  'replicas costing over the monthly threshold',
];

/** Cases that describe state (history, breakers, spend) the API can only get from earlier real actions or admin calls. */
export function isStateful(c: AdversarialCase): boolean {
  return c.history !== undefined || c.breakers !== undefined || c.workflowSpentUsd !== undefined;
}

/** The JSON body of POST /v1/check for a case; `workflowId` replaces the case's own when given. */
export function requestBody(c: AdversarialCase, corpus: Corpus, workflowId?: string): Record<string, unknown> {
  return {
    agentId: c.agentId ?? corpus.defaults.agentId,
    workflowId: workflowId ?? c.workflowId ?? corpus.defaults.workflowId,
    tool: c.tool,
    args: argsForCase(c),
    estimate: c.estimate ?? corpus.defaults.estimate,
  };
}

/** The moment a case is decided at: its `now`, or the corpus default (a Wednesday 10:00 UTC). */
export const caseNow = (c: AdversarialCase): string => c.now ?? DEFAULT_NOW;

/**
 * The corpus tools (tools.yaml) with their executors pointed at the test tool server, so that allowed calls really run
 * and the server's log shows whether a refused call ever reached a tool. Returns the registry file and the http tool names.
 */
export function writeCorpusToolRegistry(dir: string, toolServerUrl: string): { file: string; httpTools: Set<string> } {
  const parsed = parseYaml(readFileSync(TOOLS_FILE, 'utf8')) as { tools: Array<{ name: string; executor: { kind: string; url?: string } }> };
  const tools = parsed.tools.map((t) => (t.executor.kind === 'http' ? { ...t, executor: { ...t.executor, url: `${toolServerUrl}/tools/${t.name}` } } : t));
  const file = join(dir, 'adversarial-tools.json');
  writeFileSync(file, JSON.stringify({ tools }, null, 2));
  return { file, httpTools: new Set(tools.filter((t) => t.executor.kind === 'http').map((t) => t.name)) };
}

const FAKETIME_LIB = '/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1';

/** libfaketime (Debian package `faketime`) shifts a process's wall clock; the API reads time only through Date.now. */
export const canShiftClock = (): boolean => existsSync(FAKETIME_LIB);

/**
 * Environment that runs an Airlock process with its wall clock at `iso` (then ticking): one fixed offset, so every
 * process of a stack agrees on the time. Monotonic clocks stay real so timers and timeouts behave.
 */
export function clockEnv(iso: string): Record<string, string> {
  const offsetSeconds = Math.round((Date.parse(iso) - Date.now()) / 1000);
  return {
    LD_PRELOAD: FAKETIME_LIB,
    FAKETIME: `${offsetSeconds >= 0 ? '+' : ''}${offsetSeconds}s`,
    FAKETIME_DONT_FAKE_MONOTONIC: '1',
  };
}

/** Tools whose decision depends on the clock (the schedule guardrail's off-hours and freeze lists in policies/data.json). */
export function clockDependentTools(): Set<string> {
  const schedule = (JSON.parse(readFileSync(POLICY_DATA_FILE, 'utf8')) as { schedule: { offHoursTools: string[]; freezes: Array<{ tools: string[] }> } }).schedule;
  return new Set([...schedule.offHoursTools, ...schedule.freezes.flatMap((f) => f.tools)]);
}

/** The workflow cap from policies/data.json (default or override) a case's workflow starts with. */
export function workflowCapUsd(workflowId: string): number {
  const budgets = (JSON.parse(readFileSync(POLICY_DATA_FILE, 'utf8')) as {
    budgets: { defaults: { workflow: { capUsd: number } }; overrides?: Record<string, { capUsd?: number }> };
  }).budgets;
  return budgets.overrides?.[`workflow:${workflowId}`]?.capUsd ?? budgets.defaults.workflow.capUsd;
}

/** Bytes of an Express/body-parser size string such as "256kb" or "1mb". */
export function limitBytes(limit: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|mb)?\s*$/i.exec(limit);
  if (!m) throw new Error(`not a body limit: ${limit}`);
  return Math.floor(Number(m[1]) * { b: 1, kb: 1024, mb: 1024 * 1024 }[(m[2] ?? 'b').toLowerCase() as 'b' | 'kb' | 'mb']);
}
