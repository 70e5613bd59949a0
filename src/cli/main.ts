// Entry point of the `airlock` command: registers every subcommand on one commander program.
import { Command } from 'commander';
import { reportCommandError } from './errors.ts';

const program = new Command();
program.name('airlock').description('Policy-as-code guardrail sidecar for AI agents').showHelpAfterError();

// Each command module exports `register(program)`; this list is the table of contents of the CLI.
const commandModules: Array<() => Promise<{ register: (p: Command) => void }>> = [
  () => import('./commands/up.ts'),
  () => import('./commands/api.ts'),
  () => import('./commands/worker.ts'),
  () => import('./commands/conformance.ts'),
  () => import('./commands/policy.ts'),
  () => import('./commands/replay.ts'),
  () => import('./commands/export.ts'),
];

for (const load of commandModules) (await load()).register(program);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  // A command that failed while starting (bad settings, an unreadable tool registry, ...): a clear line, not a stack trace.
  // Exit now: connections opened before the failure would keep the process alive.
  process.exit(reportCommandError(e));
}
