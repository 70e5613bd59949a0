// Entry point of the `airlock` command: registers every subcommand on one commander program.
import { Command } from 'commander';

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

await program.parseAsync(process.argv);
