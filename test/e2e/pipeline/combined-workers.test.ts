// `airlock worker decide,execute`: both worker kinds in one process (small deployments) run the pipeline end to end, and
// every trace event names the status it left (the chain of from → to is unbroken); an unknown kind is refused at start.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { TOKENS, useStack } from './harness.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const f = useStack('e2e-combined', { kinds: ['api', 'decide,execute'] });

it('one worker process with decide and execute takes an action from submit to succeeded', async () => {
  const workflowId = `wf-combined-${Date.now().toString(36)}`;
  const res = await f.call('POST', '/v1/actions?wait=15', TOKENS.agent, { agentId: 'demo-agent', workflowId, tool: 'files.read', args: { path: '/data/shared/a.txt' } });
  assert.equal(res.body.status, 'succeeded', JSON.stringify(res.body));
  assert.equal(f.tools.events().filter((e) => e.key === res.body.id && e.event === 'applied').length, 1);
  const trace = await f.call('GET', `/v1/actions/${res.body.id}/trace`, TOKENS.agent);
  const events = trace.body.events as Array<{ type: string; from: string | null; to: string }>;
  assert.deepEqual(events.map((e) => e.type), ['submitted', 'deciding', 'decided', 'execution_started', 'attempt', 'succeeded']);
  assert.equal(events[0]!.from, null);
  for (let i = 1; i < events.length; i++) {
    assert.equal(events[i]!.from, events[i - 1]!.to, `event ${i} (${events[i]!.type}) left ${events[i]!.from}, previous ended in ${events[i - 1]!.to}`);
  }
});

it('an unknown worker kind is refused with the list of kinds', () => {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/airlock.js'), 'worker', 'decide,bogus'], { encoding: 'utf8', env: { ...process.env, AIRLOCK_REDIS_URL: 'redis://127.0.0.1:1' }, timeout: 60_000 });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /unknown worker kind "bogus" \(use decide, execute, review-expiry\)/);
});
