// The policy input built from stored history texts is the same document as the one built from parsed entries.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { buildPolicyInput, buildPolicyInputFromRaw } from '../../../src/pipeline/policy-input.ts';
import { createToolRegistry } from '../../../src/tools/registry.ts';

it('splicing raw history entries gives the same input as serializing parsed ones; input.history parses on demand', () => {
  const history = [
    { id: 'act_2', tool: 'echo', argsHash: 'b'.repeat(64), outcome: 'succeeded' as const, costUsd: 0.01, at_ns: 1764064800000000000 },
    { id: 'act_1', tool: 'files.read', argsHash: 'a'.repeat(64), outcome: 'denied' as const, costUsd: null, at_ns: 1764064700000000000 },
  ];
  const parts = {
    action: { id: 'act_3', agentId: 'bot', workflowId: 'wf "quoted"', tool: 'echo', args: { s: 'line\nbreak', n: [1, 2] }, estimate: { costUsd: 0.5 }, context: {}, submittedAt: '2026-11-25T10:00:00.000Z' },
    agent: { id: 'bot', known: true, roles: ['ops'], tenant: 'acme' },
    tools: createToolRegistry(),
    budget: { scopes: { global: { capUsd: 1 } }, breakers: { global: { state: 'closed', reason: null } } },
    nowMs: 1764064800123,
  };
  const expected = buildPolicyInput({ ...parts, history });
  const { input, inputJson } = buildPolicyInputFromRaw({ ...parts, historyRaw: history.map((h) => JSON.stringify(h)) });
  assert.deepEqual(JSON.parse(inputJson), JSON.parse(JSON.stringify(expected)));
  assert.deepEqual(input.history, history);
  assert.deepEqual(JSON.parse(JSON.stringify(input)), JSON.parse(inputJson));
  const empty = buildPolicyInputFromRaw({ ...parts, historyRaw: [] });
  assert.deepEqual(JSON.parse(empty.inputJson).history, []);
});
