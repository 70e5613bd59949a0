// Runs the `test_*` rules of a policy folder: compiles policies and tests into one module and evaluates each test through the SDK.
import { compile } from '../../rego/index.ts';
import type { RegoError } from '../../rego/index.ts';
import { PolicyAuthoringError } from './errors.ts';
import { checkSources } from './policy-check.ts';
import { readPolicyFolder } from './policy-files.ts';
import { loadModule, thrownText } from './sdk-policy.ts';
import { discoverTests, isTestFile } from './test-discovery.ts';
import type { DiscoveredTest } from './test-discovery.ts';

export type TestStatus = 'pass' | 'fail' | 'error' | 'skip';

export interface TestResult {
  test: DiscoveredTest;
  status: TestStatus;
  /** Why it failed: "undefined", "false", or the runtime error's text. */
  detail?: string;
  durationMs: number;
}

export interface TestRun {
  /** Compile errors (Rego and data.json); when present no test ran. */
  errors: RegoError[];
  results: TestResult[];
  counts: { passed: number; failed: number; skipped: number };
}

export interface TestRunOptions {
  /** Only tests whose full name (`data.pkg.test_x`) matches this regular expression. */
  run?: string;
}

export async function runPolicyTests(dir: string, opts: TestRunOptions = {}): Promise<TestRun> {
  const filter = compileFilter(opts.run);
  const folder = await readPolicyFolder(dir);
  const tests = uniqueTests(folder.sources.filter((f) => isTestFile(f.path)).flatMap(discoverTests))
    .filter((t) => filter === undefined || filter.test(t.name));
  const toRun = tests.filter((t) => !t.skipped);
  const skipped: TestResult[] = tests.filter((t) => t.skipped).map((test) => ({ test, status: 'skip', durationMs: 0 }));
  if (folder.dataErrors.length > 0) return summarize(folder.dataErrors, skipped);
  if (toRun.length === 0) {
    // Still compile, so that a folder without tests reports its compile errors.
    return summarize(await checkSources(folder.sources), skipped);
  }

  const compiled = await compile(folder.sources, { entrypoints: toRun.map((t) => t.entrypoint) });
  if (compiled.errors.length > 0 || !compiled.wasm) {
    return summarize(compiled.errors.length > 0 ? compiled.errors : [noModuleError(dir)], skipped);
  }
  const module = await loadModule(compiled.wasm, folder.data, dir);
  const results = toRun.map((test): TestResult => {
    const started = performance.now();
    try {
      const outcome = module.evaluate(test.entrypoint, undefined);
      const durationMs = performance.now() - started;
      if (!outcome.defined) return { test, status: 'fail', detail: 'undefined', durationMs };
      if (outcome.value === false) return { test, status: 'fail', detail: 'false', durationMs };
      return { test, status: 'pass', durationMs };
    } catch (e) {
      return { test, status: 'error', detail: thrownText(e), durationMs: performance.now() - started };
    }
  });
  return summarize([], [...results, ...skipped]);
}

function summarize(errors: RegoError[], results: TestResult[]): TestRun {
  const counts = { passed: 0, failed: 0, skipped: 0 };
  for (const r of results) {
    if (r.status === 'pass') counts.passed++;
    else if (r.status === 'skip') counts.skipped++;
    else counts.failed++;
  }
  return { errors, results, counts };
}

/** A rule defined in several places (incremental definitions) is one test, located at its first definition. */
function uniqueTests(tests: DiscoveredTest[]): DiscoveredTest[] {
  const seen = new Set<string>();
  return tests.filter((t) => (seen.has(t.entrypoint) ? false : (seen.add(t.entrypoint), true)));
}

function compileFilter(pattern: string | undefined): RegExp | undefined {
  if (pattern === undefined) return undefined;
  try {
    return new RegExp(pattern);
  } catch (e) {
    throw new PolicyAuthoringError('bad_test_filter', `--run ${pattern}: not a regular expression: ${thrownText(e)}`);
  }
}

function noModuleError(dir: string): RegoError {
  return { code: 'rego_compile_error', message: 'the compiler produced no module and no error', loc: { file: dir, line: 1, col: 1 } };
}
