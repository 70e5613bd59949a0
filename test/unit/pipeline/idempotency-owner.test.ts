// An idempotency key answers only to the caller that made the action (real Redis action store).
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { useTestRedis } from '../../support/redis.ts';
import { createActionStore } from '../../../src/pipeline/action-store.ts';
import { createActionsService, type ActionsServiceDeps } from '../../../src/pipeline/actions-service.ts';
import { IdempotencyConflictError } from '../../../src/pipeline/errors.ts';
import { toHttpError } from '../../../src/api/errors.ts';

const testRedis = useTestRedis('t-idem');
const { prefix } = testRedis;

it('a second owner reusing an agent id and key gets 409, never the first owner\'s action', async () => {
  const enqueued: string[] = [];
  const deps = {
    store: createActionStore(testRedis.redis, prefix),
    clock: () => Date.now(),
    enqueueDecide: async (id: string) => void enqueued.push(id),
  } as unknown as ActionsServiceDeps;
  const service = createActionsService(deps);
  const base = { agentId: 'bot', workflowId: 'wf', tool: 'echo', args: { secret: 'x' }, estimate: {}, context: {}, idempotencyKey: 'k-1' };

  const first = await service.submit({ ...base, owner: 'token-a' });
  assert.equal(first.created, true);
  const again = await service.submit({ ...base, owner: 'token-a' });
  assert.equal(again.created, false);
  assert.equal(again.action.id, first.action.id);

  const enqueuedBefore = enqueued.length;
  await assert.rejects(service.submit({ ...base, owner: 'token-b' }), IdempotencyConflictError);
  await assert.rejects(service.submitAndWait({ ...base, owner: 'token-b' }, 10), IdempotencyConflictError);
  const http = toHttpError(new IdempotencyConflictError('k-1'));
  assert.equal(http.status, 409);
  assert.equal(http.code, 'idempotency_key_conflict');
  // The refused caller enqueued nothing (a same-owner resubmission of a queued action may re-enqueue it; BullMQ dedups by id).
  assert.equal(enqueued.length, enqueuedBefore);
  assert.ok(enqueued.every((id) => id === first.action.id));
});
