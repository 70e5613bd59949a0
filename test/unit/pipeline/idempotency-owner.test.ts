// An idempotency key answers only to the caller that made the action (real Redis action store).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, it } from 'node:test';
import { Redis } from 'ioredis';
import { createActionStore } from '../../../src/pipeline/action-store.ts';
import { createActionsService, type ActionsServiceDeps } from '../../../src/pipeline/actions-service.ts';
import { IdempotencyConflictError } from '../../../src/pipeline/errors.ts';
import { toHttpError } from '../../../src/api/errors.ts';

const prefix = `t-idem-${randomBytes(4).toString('hex')}`;
let redis: Redis;
before(() => {
  redis = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
});
after(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
});

it('a second owner reusing an agent id and key gets 409, never the first owner\'s action', async () => {
  const enqueued: string[] = [];
  const deps = {
    store: createActionStore(redis, prefix),
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
