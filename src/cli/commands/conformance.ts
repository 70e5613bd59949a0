// `airlock conformance <dir>...`: runs Rego conformance case files through the compiler and the official SDK.
import { existsSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import type { Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import { loadCases, type ConformanceCase } from '../../rego/conformance/cases.ts';
import { runCasesInPool } from '../../rego/conformance/pool.ts';

const DEFAULT_EXCLUSIONS = 'test/conformance/exclusions.yaml';

interface Exclusion {
  file: string;
  note: string;
  reason: string;
}

export function register(program: Command): void {
  program
    .command('conformance')
    .description('run YAML conformance cases: compile each with its query as entrypoint, evaluate with the OPA SDK, compare')
    .argument('<paths...>', 'case files or folders')
    .option('--exclusions <file>', 'checked-in exclusion list (file, note, reason per case) and v1_files', DEFAULT_EXCLUSIONS)
    .option('--filter <regex>', 'only cases whose "file :: note" matches')
    .option('--workers <n>', 'worker threads', String(Math.max(1, Math.min(2, cpus().length))))
    .option('--timeout <ms>', 'time limit per case', '20000')
    .option('-v, --verbose', 'print every case, not only failures')
    .action(async (paths: string[], opts: { exclusions: string; filter?: string; workers: string; timeout: string; verbose?: boolean }) => {
      const { exclusions, v1Files } = readConfig(opts.exclusions);
      let cases = await loadCases(paths);
      for (const c of cases) if (v1Files.some((f) => c.file.endsWith(f))) c.regoVersion = 1;
      if (opts.filter) {
        const re = new RegExp(opts.filter);
        cases = cases.filter((c) => re.test(`${c.file} :: ${c.note}`));
      }
      const started = performance.now();
      let passed = 0;
      let failed = 0;
      let skipped = 0;
      const toRun: ConformanceCase[] = [];
      for (const c of cases) {
        const ex = exclusions.find((e) => c.file.endsWith(e.file) && e.note === c.note);
        if (c.skip) {
          skipped++;
          if (opts.verbose) console.log(`SKIP ${c.file} :: ${c.note}: skip: true in the case file`);
        } else if (ex) {
          skipped++;
          console.log(`SKIP ${c.file} :: ${c.note}: excluded: ${ex.reason}`);
        } else toRun.push(c);
      }
      await runCasesInPool(toRun, {
        workers: Number(opts.workers),
        timeoutMs: Number(opts.timeout),
        onOutcome: (c, o) => {
          if (o.status === 'pass') {
            passed++;
            if (opts.verbose) console.log(`PASS ${c.file} :: ${c.note}`);
          } else if (o.status === 'skip') {
            skipped++;
            console.log(`SKIP ${c.file} :: ${c.note}: ${o.detail ?? ''}`);
          } else {
            failed++;
            console.log(`FAIL ${c.file} :: ${c.note}: ${(o.detail ?? '').slice(0, 400)}`);
          }
        },
      });
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      console.log(`conformance: ${cases.length} cases in ${seconds} s`);
      console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
      process.exitCode = failed > 0 ? 1 : 0;
    });
}

/** The exclusion list, and the case files written in plain Rego v1 rather than the v0-compatible dialect. */
function readConfig(file: string): { exclusions: Exclusion[]; v1Files: string[] } {
  if (!existsSync(file)) return { exclusions: [], v1Files: [] };
  const doc = parseYaml(readFileSync(file, 'utf8')) as { exclusions?: Exclusion[]; v1_files?: string[] } | null;
  const exclusions = doc?.exclusions ?? [];
  for (const e of exclusions) {
    if (!e.file || !e.note || !e.reason) throw new Error(`${file}: every exclusion needs file, note and reason`);
  }
  return { exclusions, v1Files: doc?.v1_files ?? [] };
}
