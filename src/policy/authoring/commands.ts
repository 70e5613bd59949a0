// What the `airlock policy test|eval|check` commands do: call the authoring modules, print results, return exit codes.
import { formatRegoError } from '../../rego/index.ts';
import { PolicyAuthoringError } from './errors.ts';
import { checkPolicyFolder } from './policy-check.ts';
import { entrypointOf } from './entrypoint-ref.ts';
import { evalPolicyRef } from './policy-eval.ts';
import { formatTestRun, testRunExitCode } from './test-report.ts';
import { runPolicyTests } from './test-runner.ts';
import { watchFolder } from './watch.ts';

export async function runTestCommand(dir: string, opts: { verbose?: boolean; watch?: boolean; run?: string }): Promise<number> {
  const once = async (): Promise<number> => {
    try {
      const run = await runPolicyTests(dir, { run: opts.run });
      const lines = formatTestRun(run, { verbose: opts.verbose });
      (run.errors.length > 0 ? console.error : console.log)(lines.join('\n'));
      return testRunExitCode(run);
    } catch (e) {
      return reportFailure(e);
    }
  };
  const code = await once();
  if (!opts.watch) return code;
  console.log(`watching ${dir} for changes (Ctrl-C to stop)`);
  watchFolder(dir, async () => {
    console.log(`\n--- ${new Date().toISOString()} ---`);
    await once();
  });
  await new Promise<never>(() => {});
  return code;
}

export async function runEvalCommand(ref: string, opts: { dir: string; input?: string; data?: string }): Promise<number> {
  try {
    const outcome = await evalPolicyRef({ dir: opts.dir, ref, inputFile: opts.input, dataFile: opts.data });
    if (!('result' in outcome)) {
      for (const e of outcome.errors) console.error(formatRegoError(e));
      return 2;
    }
    console.log(outcome.result.defined ? JSON.stringify(outcome.result.value, null, 2) : 'undefined');
    return 0;
  } catch (e) {
    return reportFailure(e);
  }
}

export async function runCheckCommand(dir: string, opts: { entrypoint?: string[] }): Promise<number> {
  try {
    const entrypoints = opts.entrypoint?.map((e) => (e.startsWith('data.') ? entrypointOf(e) : e));
    const errors = await checkPolicyFolder(dir, { entrypoints });
    for (const e of errors) console.error(formatRegoError(e));
    if (errors.length > 0) {
      console.error(`${errors.length} error${errors.length === 1 ? '' : 's'}`);
      return 2;
    }
    console.log(`${dir}: no errors`);
    return 0;
  } catch (e) {
    return reportFailure(e);
  }
}

/** Bad usage and unreadable files are reported in one line; anything else is a bug worth its stack. */
function reportFailure(e: unknown): number {
  if (e instanceof PolicyAuthoringError) {
    console.error(`error: ${e.message}`);
    return 2;
  }
  console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
  return 3;
}
