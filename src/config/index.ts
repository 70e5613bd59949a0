// Airlock's configuration: environment variables over an optional config file over safe defaults, validated with zod.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

export const ROLES = ['agent', 'reviewer', 'admin'] as const;
export type Role = (typeof ROLES)[number];
/** A bearer token and what it may do; an agent token bound to `agentId` may act only as that agent. */
export interface TokenGrant { token: string; role: Role; agentId?: string }

/** The shipped policy library, whatever the working directory. */
export const SHIPPED_POLICY_DIR = fileURLToPath(new URL('../../policies', import.meta.url));

export class ConfigError extends Error {
  readonly code = 'config_invalid';
  /** The settings at fault: environment variable names, or `AIRLOCK_CONFIG:<key>` for a key of the config file. */
  readonly fields: readonly string[];
  constructor(message: string, fields: readonly string[] = []) {
    super(message);
    this.name = 'ConfigError';
    this.fields = fields;
  }
}

const durationSeconds = z.union([z.number().nonnegative(), z.string()]).transform((v, ctx) => {
  if (typeof v === 'number') return v;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/.exec(v);
  if (!m) {
    ctx.addIssue({ code: 'custom', message: `not a duration: "${v}" (use e.g. 30s, 15m, 24h, or seconds)` });
    return z.NEVER;
  }
  const n = Number(m[1]);
  const unit = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400 }[(m[2] ?? 's') as 'ms' | 's' | 'm' | 'h' | 'd'];
  return n * unit;
});

/** A switch: a boolean, or a string where 0, false and no (any case) mean off and anything else on. */
const onOff = z.union([z.boolean(), z.number(), z.string()]).transform((v) =>
  typeof v === 'string' ? !['0', 'false', 'no'].includes(v.trim().toLowerCase()) : Boolean(v));

const tokenList = z.string().transform((v, ctx) => {
  const grants: TokenGrant[] = [];
  for (const part of v.split(',').map((s) => s.trim()).filter(Boolean)) {
    // token:agent:<agentId> binds an agent token to one agent id.
    const bound = /^(.+?):agent:([A-Za-z0-9._@-]{1,200})$/.exec(part);
    if (bound) {
      grants.push({ token: bound[1]!, role: 'agent', agentId: bound[2]! });
      continue;
    }
    const i = part.lastIndexOf(':');
    const token = i > 0 ? part.slice(0, i) : '';
    const role = i > 0 ? part.slice(i + 1) : '';
    if (!token || !(ROLES as readonly string[]).includes(role)) {
      ctx.addIssue({ code: 'custom', message: `AIRLOCK_TOKENS entry "${part}" must be token:role with role in ${ROLES.join('|')}, or token:agent:<agentId>` });
      return z.NEVER;
    }
    grants.push({ token, role: role as Role });
  }
  return grants;
});

/** AIRLOCK_REQUEUE_AFTER's default: how long an action may wait for a worker before the lease reaper enqueues it again. */
export const DEFAULT_REQUEUE_AFTER_SECONDS = 60;

const configSchema = z.object({
  redisUrl: z.string().url().nullable().default(null),
  host: z.string().default('127.0.0.1'),
  port: z.coerce.number().int().min(0).max(65535).default(8080),
  policyDir: z.string().default(SHIPPED_POLICY_DIR),
  toolsFile: z.string().nullable().default(null),
  tokens: tokenList.nullable().default(null),
  reviewTtlSeconds: durationSeconds.default(86400),
  prefix: z.string().regex(/^[A-Za-z0-9_.:{}-]+$/).default('airlock'),
  bodyLimit: z.string().default('256kb'),
  rateLimitPerSecond: z.coerce.number().positive().default(2000),
  decideConcurrency: z.coerce.number().int().positive().default(64),
  executeConcurrency: z.coerce.number().int().positive().default(64),
  fetchLoops: z.coerce.number().int().min(1).max(16).default(2),
  executeMaxAttempts: z.coerce.number().int().min(1).max(20).default(3),
  retryBaseDelayMs: z.coerce.number().int().nonnegative().default(200),
  retryMaxDelayMs: z.coerce.number().int().nonnegative().default(5000),
  jobLockMs: z.coerce.number().int().min(500).default(30000),
  executeLeaseSeconds: durationSeconds.default(60),
  requeueAfterSeconds: durationSeconds.pipe(z.number().positive({ message: 'must be more than 0' })).default(DEFAULT_REQUEUE_AFTER_SECONDS),
  budgetLeaseSeconds: durationSeconds.default(900),
  sweepIntervalMs: z.coerce.number().int().min(50).default(1000),
  policyWatch: onOff.default(true),
  toolsWatch: onOff.default(true),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type AirlockConfig = z.infer<typeof configSchema>;

/** Environment variable → config key; the README's configuration table lists the same. */
export const ENV_VARS: Record<string, keyof AirlockConfig> = {
  AIRLOCK_REDIS_URL: 'redisUrl',
  AIRLOCK_HOST: 'host',
  AIRLOCK_PORT: 'port',
  AIRLOCK_POLICY_DIR: 'policyDir',
  AIRLOCK_TOOLS: 'toolsFile',
  AIRLOCK_TOKENS: 'tokens',
  AIRLOCK_REVIEW_TTL: 'reviewTtlSeconds',
  AIRLOCK_PREFIX: 'prefix',
  AIRLOCK_BODY_LIMIT: 'bodyLimit',
  AIRLOCK_RATE_LIMIT: 'rateLimitPerSecond',
  AIRLOCK_DECIDE_CONCURRENCY: 'decideConcurrency',
  AIRLOCK_EXECUTE_CONCURRENCY: 'executeConcurrency',
  AIRLOCK_FETCH_LOOPS: 'fetchLoops',
  AIRLOCK_EXECUTE_MAX_ATTEMPTS: 'executeMaxAttempts',
  AIRLOCK_RETRY_BASE_MS: 'retryBaseDelayMs',
  AIRLOCK_RETRY_MAX_MS: 'retryMaxDelayMs',
  AIRLOCK_JOB_LOCK_MS: 'jobLockMs',
  AIRLOCK_EXECUTE_LEASE: 'executeLeaseSeconds',
  AIRLOCK_REQUEUE_AFTER: 'requeueAfterSeconds',
  AIRLOCK_BUDGET_LEASE: 'budgetLeaseSeconds',
  AIRLOCK_SWEEP_INTERVAL_MS: 'sweepIntervalMs',
  AIRLOCK_POLICY_WATCH: 'policyWatch',
  AIRLOCK_TOOLS_WATCH: 'toolsWatch',
  AIRLOCK_LOG_LEVEL: 'logLevel',
};

/** Reads AIRLOCK_CONFIG (JSON or YAML, camelCase keys) if set, then the environment on top. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AirlockConfig {
  let fromFile: Record<string, unknown> = {};
  if (env.AIRLOCK_CONFIG) {
    let text: string;
    try {
      text = readFileSync(env.AIRLOCK_CONFIG, 'utf8');
    } catch (e) {
      throw new ConfigError(`cannot read AIRLOCK_CONFIG ${env.AIRLOCK_CONFIG}: ${(e as Error).message}`);
    }
    const parsed: unknown = parseYaml(text); // YAML is a superset of JSON
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new ConfigError(`AIRLOCK_CONFIG ${env.AIRLOCK_CONFIG} must hold an object`);
    fromFile = parsed as Record<string, unknown>;
    const unknown = Object.keys(fromFile).filter((key) => !(key in configSchema.shape));
    if (unknown.length > 0) {
      throw new ConfigError(`AIRLOCK_CONFIG ${env.AIRLOCK_CONFIG}: unknown setting ${unknown.map((k) => `"${k}"`).join(', ')} (known: ${Object.keys(configSchema.shape).join(', ')})`, unknown.map((k) => `AIRLOCK_CONFIG:${k}`));
    }
  }
  const merged: Record<string, unknown> = { ...fromFile };
  // Where each value came from, so that an error names the setting the user wrote.
  const origin = new Map<string, string>(Object.keys(fromFile).map((key) => [key, `AIRLOCK_CONFIG:${key}`]));
  for (const [name, key] of Object.entries(ENV_VARS)) {
    const v = env[name];
    if (v === undefined || v === '') continue;
    merged[key] = v;
    origin.set(key, name);
  }
  const result = configSchema.safeParse(merged);
  if (!result.success) {
    const fields = result.error.issues.map((i) => origin.get(String(i.path[0])) ?? (i.path.join('.') || '(root)'));
    const msg = result.error.issues.map((i, n) => `${fields[n]}: ${i.message}`).join('; ');
    throw new ConfigError(`invalid configuration: ${msg}`, fields);
  }
  return result.data;
}
