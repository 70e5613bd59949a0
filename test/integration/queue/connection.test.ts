// AIRLOCK_REDIS_URL forms: redis:// URLs go to ioredis as they are; unix:///path.sock[?db=N&password=...] reaches a Redis
// on a Unix socket — checked against a real redis-server listening only on a socket. And every connection sends the
// commands of one tick in one socket write.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { connectRedis, redisTarget } from '../../../src/queue/connection.ts';
import { loadConfig } from '../../../src/config/index.ts';
import { TEST_REDIS_URL } from '../../support/redis.ts';

it('redis:// URLs are passed through; unix:// URLs become a socket path with db and password', () => {
  assert.equal(redisTarget('redis://127.0.0.1:6379/2'), 'redis://127.0.0.1:6379/2');
  assert.deepEqual(redisTarget('unix:///var/run/redis/redis.sock'), { path: '/var/run/redis/redis.sock' });
  assert.deepEqual(redisTarget('unix:///tmp/r%20x.sock?db=3&password=s3cret'), { path: '/tmp/r x.sock', db: 3, password: 's3cret' });
});

it('the configuration accepts a unix:// Redis URL', () => {
  const config = loadConfig({ AIRLOCK_REDIS_URL: 'unix:///tmp/redis.sock' });
  assert.equal(config.redisUrl, 'unix:///tmp/redis.sock');
});

let dir = '';
let server: ReturnType<typeof spawn> | null = null;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'airlock-sock-'));
  server = spawn('redis-server', ['--port', '0', '--unixsocket', join(dir, 'redis.sock'), '--unixsocketperm', '700', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
});
after(async () => {
  if (server && server.exitCode === null) {
    const exited = new Promise((r) => server!.once('exit', r));
    server.kill('SIGTERM');
    await exited;
  }
  rmSync(dir, { recursive: true, force: true });
});

it('connects to a redis-server that listens only on a Unix socket', async () => {
  const url = `unix://${join(dir, 'redis.sock')}?db=1`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    const redis = connectRedis(url, 'socket-test', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    redis.on('error', () => undefined);
    try {
      await redis.connect();
      await redis.set('k', 'v');
      assert.equal(await redis.get('k'), 'v');
      const info = await redis.info('keyspace');
      assert.match(info, /^db1:keys=1/m, 'the db from the URL is selected');
      redis.disconnect();
      return;
    } catch (e) {
      redis.disconnect();
      if (Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
});

it('the commands of one tick leave in one socket write, also after a reconnect; replies stay in order', async () => {
  const redis = connectRedis(TEST_REDIS_URL, 'coalesce-test');
  const key = `coalesce-${process.pid}-${Date.now()}`;
  try {
    /** Counts the writes Node hands to the socket's handle while `run` goes (one `_writev` = one system call for many). */
    const writesDuring = async (run: () => Promise<unknown>) => {
      await redis.ping(); // connected and ready
      const socket = (redis as unknown as { stream: { _write: (...a: unknown[]) => unknown; _writev: (...a: unknown[]) => unknown } }).stream;
      const counts = { write: 0, writev: 0 };
      const [w, wv] = [socket._write, socket._writev];
      socket._write = function (this: unknown, ...a: unknown[]) { counts.write++; return w.apply(this, a); };
      socket._writev = function (this: unknown, ...a: unknown[]) { counts.writev++; return wv.apply(this, a); };
      try {
        await run();
      } finally {
        socket._write = w;
        socket._writev = wv;
      }
      return counts;
    };
    const burst = () => Promise.all(Array.from({ length: 20 }, (_, i) => redis.rpush(key, String(i))));

    assert.deepEqual(await writesDuring(burst), { write: 0, writev: 1 }, 'twenty commands, one write');
    assert.deepEqual(await redis.lrange(key, 0, -1), Array.from({ length: 20 }, (_, i) => String(i)));

    redis.disconnect(true); // a new socket: it must be coalesced too
    assert.deepEqual(await writesDuring(burst), { write: 0, writev: 1 });
    assert.equal(await redis.llen(key), 40);
  } finally {
    await redis.del(key);
    await redis.quit();
  }
});
