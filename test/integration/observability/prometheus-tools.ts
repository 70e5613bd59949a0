// Test helpers around the real Prometheus (Debian package `prometheus`): finding its binaries, starting it, querying its HTTP API.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The path of `name` (prometheus, promtool), or null. */
export function findBinary(name: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(':').concat(['/usr/bin', '/usr/local/bin'])) {
    const p = join(dir, name);
    if (dir && existsSync(p)) return p;
  }
  return null;
}

/**
 * The binary, or a skip reason outside CI. In CI (CI=true) a missing binary throws: the acceptance test must fail, not skip.
 */
export function requireBinary(name: string): { path: string; skip: false } | { path: null; skip: string } {
  const path = findBinary(name);
  if (path) return { path, skip: false };
  const msg = `${name} is not installed (apt-get install -y prometheus; .ci/run does it)`;
  if (process.env.CI === 'true' || process.env.CI === '1') throw new Error(`${msg}: required in CI`);
  return { path: null, skip: msg };
}

export function runPromtool(promtool: string, args: string[], cwd: string): { code: number; output: string } {
  const r = spawnSync(promtool, args, { cwd, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status ?? -1, output: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

export interface PrometheusServer {
  url: string;
  query(expr: string): Promise<PromResponse>;
  stop(): Promise<void>;
  log(): string;
}

export interface PromResponse {
  status: 'success' | 'error';
  data?: { resultType: string; result: Array<{ metric: Record<string, string>; value?: [number, string] }> | [number, string] };
  errorType?: string;
  error?: string;
}

export async function startPrometheus(opts: { binary: string; dir: string; port: number; targets: string[]; ruleFile: string; scrapeInterval?: string }): Promise<PrometheusServer> {
  const config = [
    'global:',
    `  scrape_interval: ${opts.scrapeInterval ?? '1s'}`,
    `  evaluation_interval: ${opts.scrapeInterval ?? '1s'}`,
    'rule_files:',
    `  - ${JSON.stringify(opts.ruleFile)}`,
    'scrape_configs:',
    '  - job_name: airlock',
    `    scrape_timeout: ${opts.scrapeInterval ?? '1s'}`,
    '    static_configs:',
    `      - targets: [${opts.targets.map((t) => JSON.stringify(t)).join(', ')}]`,
    '',
  ].join('\n');
  const configFile = join(opts.dir, 'prometheus.yml');
  writeFileSync(configFile, config);
  const proc: ChildProcess = spawn(opts.binary, [
    `--config.file=${configFile}`, `--storage.tsdb.path=${join(opts.dir, 'data')}`, `--web.listen-address=127.0.0.1:${opts.port}`,
    '--storage.tsdb.retention.time=1h', '--log.level=warn',
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.on('data', (c: Buffer) => (out = (out + c.toString()).slice(-20000)));
  proc.stderr!.on('data', (c: Buffer) => (out = (out + c.toString()).slice(-20000)));
  const url = `http://127.0.0.1:${opts.port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`prometheus exited (${proc.exitCode}):\n${out}`);
    try {
      if ((await fetch(`${url}/-/ready`)).status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`prometheus not ready within 30 s:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    log: () => out,
    async query(expr) {
      const res = await fetch(`${url}/api/v1/query`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ query: expr }) });
      return (await res.json()) as PromResponse;
    },
    async stop() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = new Promise<void>((r) => proc.once('exit', () => r()));
      proc.kill('SIGTERM');
      const t = setTimeout(() => proc.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(t);
    },
  };
}

/** Grafana's interval variables, given values Prometheus understands (the test scrapes every second). */
export function substituteGrafanaVariables(expr: string, rateInterval = '1m'): string {
  return expr.replaceAll('$__rate_interval', rateInterval).replaceAll('$__interval', '15s').replaceAll('$__range', '5m');
}
