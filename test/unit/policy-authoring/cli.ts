// Runs the real `airlock` command in a child process for the authoring tests and captures its output and exit code.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

export const fixtures = 'test/fixtures/policy-authoring';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function airlock(args: string[], timeoutMs = 90_000): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['bin/airlock.js', ...args], { cwd: repoRoot, timeout: timeoutMs }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}
