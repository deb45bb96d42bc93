// ioredis against strata-server: node ioredis_flow.js PORT
'use strict';
const Redis = require('ioredis');
const {assert, runSteps} = require('./flow');

const port = Number(process.argv[2]);
const r = new Redis({port, lazyConnect: true, maxRetriesPerRequest: 1});
const other = new Redis({port, maxRetriesPerRequest: 1});

const steps = [
  [
    'connect, CLIENT SETINFO, CLIENT SETNAME',
    async () => {
      await r.connect();
      assert.equal(await r.ping(), 'PONG');
      await r.flushall();
      await r.client('SETNAME', 'ioflow');
      const info = await r.client('INFO');
      assert.match(info, /name=ioflow/);
      assert.match(info, /lib-name=ioredis/);  // ioredis 5 sends CLIENT SETINFO on connect
    }
  ],
  [
    'pipeline and auto-pipelined promises',
    async () => {
      const p = r.pipeline();
      for (let i = 0; i < 1000; i++) p.set(`k${i}`, i);
      p.incr('k1');
      const out = await p.exec();
      assert.deepEqual(out[out.length - 1], [null, 2]);
      const got = await Promise.all([r.get('k0'), r.get('k999'), r.get('nokey')]);
      assert.deepEqual(got, ['0', '999', null]);
    }
  ],
  [
    'MULTI/WATCH: a conflict makes exec() resolve to null',
    async () => {
      await r.set('balance', 100);
      await r.watch('balance');
      await other.incrby('balance', 5);
      const res = await r.multi().decrby('balance', 10).exec();
      assert.equal(res, null);
      assert.equal(await r.get('balance'), '105');
      const ok = await r.multi().decrby('balance', 10).get('balance').exec();
      assert.deepEqual(ok, [[null, 95], [null, '95']]);
    }
  ],
  [
    'scanStream and hscanStream iterate everything',
    async () => {
      const keys = new Set();
      for await (const batch of r.scanStream({match: 'k1*', count: 50}))
        batch.forEach((k) => keys.add(k));
      assert.equal(
          keys.size, [...Array(1000).keys()].filter((i) => String(i).startsWith('1')).length);
      const fields = {};
      for (let i = 0; i < 300; i++) fields[`f${i}`] = i;
      await r.hset('h', fields);
      let n = 0;
      for await (const batch of r.hscanStream('h', {count: 20})) n += batch.length / 2;
      assert.equal(n, 300);
    }
  ],
  [
    'a job queue: BLPOP served by another client, BLMOVE, timeouts',
    async () => {
      const waiting = r.duplicate();
      const popped = waiting.blpop('jobs', 5);
      setTimeout(() => other.rpush('jobs', 'job1'), 200);
      assert.deepEqual(await popped, ['jobs', 'job1']);
      assert.equal(await waiting.blpop('jobs', 0.1), null);
      await other.rpush('queue', 'a');
      assert.equal(await waiting.blmove('queue', 'processing', 'LEFT', 'RIGHT', 1), 'a');
      assert.deepEqual(await r.lrange('processing', 0, -1), ['a']);
      waiting.disconnect();
    }
  ],
  [
    'a lock: SET NX PX, release by compare-and-delete in MULTI',
    async () => {
      assert.equal(await r.set('lock:x', 'token1', 'PX', 10000, 'NX'), 'OK');
      assert.equal(await other.set('lock:x', 'token2', 'PX', 10000, 'NX'), null);
      await r.watch('lock:x');
      assert.equal(await r.get('lock:x'), 'token1');
      assert.deepEqual(await r.multi().del('lock:x').exec(), [[null, 1]]);
    }
  ],
  [
    'INFO, memory usage, CLIENT LIST filters',
    async () => {
      const info = await r.info();
      for (const f
               of ['redis_version:', 'instantaneous_ops_per_sec:', 'used_memory_human:',
                   'db0:keys=']) {
        assert.ok(info.includes(f), f);
      }
      assert.ok((await r.memory('USAGE', 'k1')) > 0);
      assert.equal(await r.memory('USAGE', 'nokey'), null);
      const id = await other.client('ID');
      const listed = await r.client('LIST', 'ID', id);
      assert.match(listed, new RegExp(`^id=${id} `));
      await assert.rejects(r.client('LIST', 'TYPE', 'bogus'), /ERR Unknown client type 'bogus'/);
    }
  ],
  [
    'errors are ReplyErrors with Redis\'s words',
    async () => {
      await r.set('str', 'x');
      await assert.rejects(
          r.lpush('str', 'a'), (e) => e.name === 'ReplyError' && /^WRONGTYPE/.test(e.message));
      await assert.rejects(r.incr('str'), /ERR value is not an integer or out of range/);
    }
  ],
];

runSteps('ioredis', steps).then((failed) => {
  r.disconnect();
  other.disconnect();
  process.exit(failed ? 1 : 0);
});
