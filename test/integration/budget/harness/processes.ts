// Starts and stops harness worker processes for the budget acceptance tests.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { HarnessSettings } from './worker.ts';

const workerFile = fileURLToPath(new URL('./worker.ts', import.meta.url));

/** Spawns a decide or execute worker and resolves once it printed "ready". */
export async function startWorker(role: 'decide' | 'execute', settings: HarnessSettings): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', workerFile, role], {
    env: { ...process.env, HARNESS: JSON.stringify(settings) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => { err += d.toString(); });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${role} worker did not start: ${err}`)), 60_000);
    child.stdout!.on('data', (d: Buffer) => {
      if (d.toString().includes(`ready ${role}`)) { clearTimeout(timer); resolve(); }
    });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`${role} worker exited (${code}): ${err}`)); });
  });
  child.removeAllListeners('exit');
  return child;
}

export function killHard(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}
