// Prints a policy test run the way `opa test` users expect: failures with file:line, then `N passed, M failed`.
import { formatRegoError } from '../../rego/syntax/ast.ts';
import type { TestResult, TestRun } from './test-runner.ts';

export interface ReportOptions {
  verbose?: boolean;
}

/** The lines to print for a run, last one the summary. */
export function formatTestRun(run: TestRun, opts: ReportOptions = {}): string[] {
  if (run.errors.length > 0) {
    return [...run.errors.map(formatRegoError), `${run.errors.length} compile error${run.errors.length === 1 ? '' : 's'}`];
  }
  const lines: string[] = [];
  for (const r of run.results) {
    if (r.status === 'fail' || r.status === 'error' || opts.verbose) lines.push(formatResult(r));
  }
  const { passed, failed, skipped } = run.counts;
  if (lines.length > 0) lines.push('');
  lines.push(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
  return lines;
}

/** Exit code of `airlock policy test`: 0 all passed, 1 a test failed, 2 the policies did not compile. */
export function testRunExitCode(run: TestRun): number {
  if (run.errors.length > 0) return 2;
  return run.counts.failed > 0 ? 1 : 0;
}

function formatResult(r: TestResult): string {
  const where = `${r.test.file}:${r.test.line}`;
  const took = `(${r.durationMs < 1 ? r.durationMs.toFixed(3) : r.durationMs.toFixed(1)} ms)`;
  switch (r.status) {
    case 'pass':
      return `PASS ${r.test.name} ${took}`;
    case 'skip':
      return `SKIP ${r.test.name} (${where})`;
    case 'fail':
      return `FAIL ${where}: ${r.test.name} (${r.detail === 'undefined' ? 'undefined: a body expression did not hold' : 'evaluated to false'}) ${took}`;
    case 'error':
      return `ERROR ${where}: ${r.test.name}: ${r.detail ?? 'unknown error'}`;
  }
}
