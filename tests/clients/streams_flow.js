// A consumer-group work queue with ioredis and with node-redis against strata-server: one
// producer, several consumers reading with XREADGROUP BLOCK and acknowledging with XACK.
// usage: node streams_flow.js PORT
'use strict';
const Redis = require('ioredis');
const {createClient} = require('redis');
const {assert, runSteps} = require('./flow');

const port = Number(process.argv[2]);

async function consume(readNext, ack, seen, total) {
  while (seen.size < total) {
    const entries = await readNext();
    for (const [id, n] of entries) {
      assert.ok(!seen.has(n), `entry ${n} delivered twice`);
      seen.add(n);
      await ack(id);
    }
  }
}

const steps = [
  [
    'ioredis: 4 consumers share 2000 entries, each once, all acknowledged',
    async () => {
      const r = new Redis({port});
      await r.del('io:q');
      await r.xgroup('CREATE', 'io:q', 'g', '$', 'MKSTREAM');
      const total = 2000, seen = new Set();
      const workers = Array.from({length: 4}, (_, w) => {
        const c = new Redis({port});
        return consume(async () => {
                 const res = await c.xreadgroup(
                     'GROUP', 'g', `w${w}`, 'COUNT', 100, 'BLOCK', 2000, 'STREAMS', 'io:q', '>');
                 if (!res) return [];
                 return res[0][1].map(([id, fields]) => [id, fields[1]]);
               }, (id) => c.xack('io:q', 'g', id), seen, total).finally(() => c.quit());
      });
      for (let i = 0; i < total; i += 100) {
        const p = r.pipeline();
        for (let j = i; j < i + 100; j++) p.xadd('io:q', '*', 'n', String(j));
        await p.exec();
      }
      await Promise.all(workers);
      const [count] = await r.xpending('io:q', 'g');
      assert.equal(count, 0);
      assert.equal(await r.xlen('io:q'), total);
      await r.quit();
    }
  ],
  [
    'node-redis: xAdd, xReadGroup with BLOCK, xAck, xInfoGroups',
    async () => {
      const c = createClient({socket: {port}});
      await c.connect();
      await c.del('nr:q');
      await c.xGroupCreate('nr:q', 'g', '$', {MKSTREAM: true});
      const reader = c.duplicate();
      await reader.connect();
      const waiting = reader.xReadGroup('g', 'c1', {key: 'nr:q', id: '>'}, {BLOCK: 5000});
      await new Promise((res) => setTimeout(res, 100));
      const id = await c.xAdd('nr:q', '*', {job: 'x'});
      const got = await waiting;
      assert.equal(got[0].messages[0].id, id);
      assert.deepEqual({...got[0].messages[0].message}, {job: 'x'});
      assert.equal(await c.xAck('nr:q', 'g', id), 1);
      const groups = await c.xInfoGroups('nr:q');
      assert.equal(groups[0].pending, 0);
      await reader.quit();
      await c.quit();
    }
  ],
];

runSteps('node', steps).then((failed) => process.exit(failed ? 1 : 0));
