// node-redis (the `redis` package) against strata-server, over RESP3: node node_redis_flow.js PORT
'use strict';
const {createClient, WatchError} = require('redis');
const {assert, runSteps} = require('./flow');

const port = Number(process.argv[2]);
const url = `redis://127.0.0.1:${port}`;
const r = createClient({url, RESP: 3, name: 'nrflow'});
const other = createClient({url});
r.on('error', () => {});
other.on('error', () => {});

const steps = [
  [
    'connect with HELLO 3 and CLIENT SETINFO',
    async () => {
      await r.connect();
      await other.connect();
      assert.equal(await r.ping(), 'PONG');
      await r.flushAll();
      const info = await r.clientInfo();
      assert.equal(info.name, 'nrflow');
      assert.equal(info.resp, 3);
      assert.equal(info.libName, 'node-redis');
    }
  ],
  [
    'RESP3 replies: maps, doubles, nulls',
    async () => {
      await r.hSet('h', {a: '1', b: '2'});
      assert.deepEqual({...(await r.hGetAll('h'))}, {a: '1', b: '2'});
      await r.zAdd('z', [{score: 1.5, value: 'm'}]);
      assert.equal(await r.zScore('z', 'm'), 1.5);
      assert.equal(await r.get('nokey'), null);
      const cfg = await r.configGet('maxmemory');
      assert.equal(cfg.maxmemory, '0');
    }
  ],
  [
    'pipelines (multi without exec semantics) and many in flight',
    async () => {
      const replies = await r.multi().set('k1', '1').incr('k1').get('k1').execAsPipeline();
      assert.deepEqual(replies, ['OK', 2, '2']);
      const many = await Promise.all([...Array(500).keys()].map((i) => r.set(`p${i}`, String(i))));
      assert.equal(many.length, 500);
    }
  ],
  [
    'MULTI/WATCH: a conflict rejects with WatchError',
    async () => {
      await r.set('balance', '100');
      const tx = r.duplicate();
      await tx.connect();
      await tx.watch('balance');
      await other.incrBy('balance', 5);
      await assert.rejects(tx.multi().decrBy('balance', 10).exec(), WatchError);
      assert.equal(await r.get('balance'), '105');
      await tx.quit();
    }
  ],
  [
    'scanIterator visits every key',
    async () => {
      const seen = new Set();
      for await (const keys of r.scanIterator({MATCH: 'p*', COUNT: 50}))
        keys.forEach((k) => seen.add(k));
      assert.equal(seen.size, 500);
    }
  ],
  [
    'blocking pops on an isolated connection',
    async () => {
      const b = r.duplicate();
      await b.connect();
      const popped = b.blPop('jobs', 5);
      setTimeout(() => other.rPush('jobs', 'job1'), 200);
      assert.deepEqual({...(await popped)}, {key: 'jobs', element: 'job1'});
      assert.equal(await b.blPop('jobs', 0.1), null);
      await b.quit();
    }
  ],
  [
    'INFO, MEMORY USAGE, CLIENT LIST',
    async () => {
      const info = await r.info('stats');
      assert.match(info, /instantaneous_ops_per_sec:\d+/);
      assert.ok((await r.memoryUsage('k1')) > 0);
      const list = await r.clientList({TYPE: 'normal'});
      assert.ok(list.length >= 2);
      await assert.rejects(
          r.sendCommand(['CLIENT', 'LIST', 'TYPE', 'bogus']), /Unknown client type/);
    }
  ],
];

runSteps('node-redis', steps).then(async (failed) => {
  await Promise.allSettled([r.quit(), other.quit()]);
  process.exit(failed ? 1 : 0);
});
