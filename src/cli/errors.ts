// How the `airlock` command reports a failure to start: a setting or file the user can fix is one line on stderr and exit
// status 2; anything else is a bug or an environment failure, reported with its stack and exit status 1.
import { ConfigError } from '../config/index.ts';
import { ToolRegistryError } from '../tools/errors.ts';

/** A failure of the command itself that the user can act on (e.g. redis-server missing for `airlock up`). */
export class CliError extends Error {
  constructor(message: string, readonly code: string) {
    super(message);
    this.name = 'CliError';
  }
}

/** Writes the report of a command's failure and returns the exit status. */
export function reportCommandError(e: unknown, write: (text: string) => void = (t) => process.stderr.write(t)): number {
  if (e instanceof ConfigError || e instanceof ToolRegistryError || e instanceof CliError) {
    write(`airlock: ${e.message} [${e.code}]\n`);
    return 2;
  }
  write(`airlock: unexpected error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  return 1;
}
