// The tool registry of a running process follows its file: a changed file is read again; one that cannot be read or
// validated keeps the previous registry serving and is reported.
import assert from 'node:assert/strict';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { createReloadingToolRegistry } from '../../../src/tools/reloading-registry.ts';
import { ToolRegistryError } from '../../../src/tools/errors.ts';

const dir = mkdtempSync(join(tmpdir(), 'airlock-tools-reload-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const tool = (name: string, risk = 'low') => ({ name, description: name, risk, args: { type: 'object', required: ['n'] }, executor: { kind: 'builtin', name: 'echo' } });

function recorder() {
  const lines: Array<{ level: string; msg: string; fields: Record<string, unknown> }> = [];
  const at = (level: string) => (fields: object, msg: string) => void lines.push({ level, msg, fields: fields as Record<string, unknown> });
  return { lines, info: at('info'), warn: at('warn'), error: at('error') };
}

const until = async (what: string, fn: () => boolean) => {
  const deadline = Date.now() + 10_000;
  while (!fn()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
};

it('reads a changed file again, keeps the previous registry when the new one is bad, and stops watching', async () => {
  const file = join(dir, 'tools.json');
  writeFileSync(file, JSON.stringify({ tools: [tool('alpha')] }));
  const log = recorder();
  const results: string[] = [];
  const tools = createReloadingToolRegistry(file, log, (r) => void results.push(r));
  assert.equal(tools.get('alpha')?.risk, 'low');
  assert.equal(tools.get('echo')?.name, 'echo', 'built-ins stay');
  const stop = tools.watch(20);
  try {
    // Replaced the way deploy tools do it: written aside, then renamed over the file.
    writeFileSync(join(dir, 'tools.json.tmp'), JSON.stringify({ tools: [tool('alpha', 'high'), tool('beta')] }));
    renameSync(join(dir, 'tools.json.tmp'), file);
    await until('the new registry', () => tools.get('beta') !== undefined);
    assert.equal(tools.metadata('alpha').risk, 'high');
    assert.deepEqual(tools.validateArgs('beta', {}).map((e) => e.message), ["must have required property 'n'"]);
    assert.deepEqual(results, ['success']);

    writeFileSync(file, '{"tools": [{"name": "bad name!", "executor": {"kind": "builtin", "name": "echo"}}]}');
    await until('the failed reload', () => results.includes('failure'));
    assert.ok(tools.get('beta'), 'the previous registry keeps serving');
    assert.match(String(log.lines.find((l) => l.level === 'error')?.fields.err), /tool registry .*tools\.json: tools\.0\.name/);
  } finally {
    stop();
  }
  const before = results.length;
  writeFileSync(file, JSON.stringify({ tools: [tool('gamma')] }));
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(results.length, before, 'no reload after stop');
  assert.equal(tools.get('gamma'), undefined);
});

it('a bad file at start is an error, as before; no file means the built-ins and nothing to watch', () => {
  const file = join(dir, 'broken.yaml');
  writeFileSync(file, 'tools: [ {name: ');
  assert.throws(() => createReloadingToolRegistry(file, recorder()), ToolRegistryError);
  const builtins = createReloadingToolRegistry(null, recorder());
  assert.ok(builtins.get('echo'));
  builtins.watch()(); // a no-op stop
});
