// `airlock policy`: the policy authoring loop (test, eval, check) and the compiler's `build`.
import type { Command } from 'commander';
import { registerPolicyBuild } from './policy-build.ts';

/** Adds the `policy` command group with its subcommands to the program. */
export function register(program: Command): void {
  const group = program.command('policy').description('write, test and build Rego guardrail policies');

  group
    .command('test')
    .description('run every test_* rule of the *_test.rego files (exit 1 on a failure, 2 on compile errors)')
    .argument('[dir]', 'policy folder or file', 'policies')
    .option('-v, --verbose', 'list every test with its result and time')
    .option('-w, --watch', 'rerun the tests whenever a .rego or .json file changes')
    .option('-r, --run <regex>', 'run only tests whose name (data.pkg.test_x) matches')
    .action(async (dir: string, opts: { verbose?: boolean; watch?: boolean; run?: string }) => {
      const { runTestCommand } = await import('../../policy/authoring/commands.ts');
      process.exitCode = await runTestCommand(dir, opts);
    });

  group
    .command('eval')
    .description('evaluate one reference (e.g. data.airlock.decision) and print it as JSON, or undefined')
    .argument('<ref>', 'reference into data, e.g. data.airlock.decision')
    .requiredOption('-d, --dir <dir>', 'policy folder')
    .option('-i, --input <file>', 'JSON input document')
    .option('--data <file>', 'JSON data document merged over the folder\'s data.json')
    .action(async (ref: string, opts: { dir: string; input?: string; data?: string }) => {
      const { runEvalCommand } = await import('../../policy/authoring/commands.ts');
      process.exitCode = await runEvalCommand(ref, opts);
    });

  group
    .command('check')
    .description('compile a policy folder and report every error as file:line:column (exit 2 on errors)')
    .argument('<dir>', 'policy folder or file')
    .option('-e, --entrypoint <ref...>', 'plan only these entrypoints (default: every package)')
    .action(async (dir: string, opts: { entrypoint?: string[] }) => {
      const { runCheckCommand } = await import('../../policy/authoring/commands.ts');
      process.exitCode = await runCheckCommand(dir, opts);
    });

  registerPolicyBuild(group);
}
