// Connection errors are logged without flooding: the first at once, then one line per interval counting the rest, and a
// line when the connection is ready again.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { it } from 'node:test';
import type { Redis } from 'ioredis';
import { logConnectionErrors, throttledErrorLog } from '../../../src/queue/connection.ts';

function recorder() {
  const lines: Array<{ level: 'warn' | 'info'; fields: Record<string, unknown>; msg: string }> = [];
  return {
    lines,
    warn: (fields: object, msg: string) => void lines.push({ level: 'warn', fields: fields as Record<string, unknown>, msg }),
    info: (fields: object, msg: string) => void lines.push({ level: 'info', fields: fields as Record<string, unknown>, msg }),
  };
}

it('logs the first error, then one line per interval with the number left out', () => {
  const log = recorder();
  let now = 1_000;
  const t = throttledErrorLog(log, 'queue error', { queue: 'decide' }, 10_000, () => now);
  for (let i = 0; i < 50; i++) {
    t.error(new Error(`refused ${i}`));
    now += 100; // 50 errors over 5 s
  }
  assert.deepEqual(log.lines, [{ level: 'warn', fields: { queue: 'decide', err: 'refused 0' }, msg: 'queue error' }]);
  now = 11_000;
  t.error(new Error('refused again'));
  assert.equal(log.lines.length, 2);
  assert.deepEqual(log.lines[1], { level: 'warn', fields: { queue: 'decide', err: 'refused again', errorsNotLogged: 49 }, msg: 'queue error' });
});

it('says when the connection is ready again, once, and then logs the next error at once', () => {
  const log = recorder();
  let now = 0;
  const redis = new EventEmitter();
  const counted: string[] = [];
  logConnectionErrors(redis as unknown as Redis, log, 'commands', { count: (c) => void counted.push(c), everyMs: 10_000, now: () => now });
  redis.emit('ready'); // the first connect: nothing failed, nothing to say
  assert.equal(log.lines.length, 0);
  for (let i = 0; i < 5; i++) {
    redis.emit('error', new Error('ECONNREFUSED'));
    now += 50;
  }
  redis.emit('ready');
  redis.emit('ready');
  assert.deepEqual(log.lines.map((l) => [l.level, l.msg, l.fields]), [
    ['warn', 'redis connection error', { connection: 'commands', err: 'ECONNREFUSED' }],
    ['info', 'redis connection restored', { connection: 'commands', errorsNotLogged: 4 }],
  ]);
  assert.equal(counted.length, 5, 'every error is counted, also those the log leaves out');
  assert.ok(counted.every((c) => c === 'commands'));
  now += 100; // well inside the interval of the last logged error: a new outage is still reported at once
  redis.emit('error', new Error('ECONNRESET'));
  assert.deepEqual(log.lines[2], { level: 'warn', fields: { connection: 'commands', err: 'ECONNRESET' }, msg: 'redis connection error' });
});
