// ioredis and node-redis subscribers against strata-server, and node-redis's client-side
// cache over RESP3: node pubsub_flow.js PORT
'use strict';
const Redis = require('ioredis');
const {createClient} = require('redis');
const {assert, runSteps} = require('./flow');

const port = Number(process.argv[2]);
const url = `redis://127.0.0.1:${port}`;

function waitFor(check, ms = 5000) {
  return new Promise((resolve, reject) => {
    const start = Date.now();
    const tick = () => {
      if (check()) return resolve();
      if (Date.now() - start > ms) return reject(new Error('timed out'));
      setTimeout(tick, 10);
    };
    tick();
  });
}

const ioSteps = [
  [
    'subscribe and psubscribe receive message and pmessage',
    async () => {
      const sub = new Redis(port);
      const pub = new Redis(port);
      const got = [];
      sub.on('message', (ch, msg) => got.push(['message', ch, msg]));
      sub.on('pmessage', (pat, ch, msg) => got.push(['pmessage', pat, ch, msg]));
      assert.equal(await sub.subscribe('io:a', 'io:b'), 2);
      assert.equal(await sub.psubscribe('io:*'), 3);
      assert.equal(await pub.publish('io:a', 'x'), 2);
      await waitFor(() => got.length === 2);
      assert.deepEqual(got.sort(), [['message', 'io:a', 'x'], ['pmessage', 'io:*', 'io:a', 'x']]);
      // In subscribed mode ioredis refuses other commands itself; after unsubscribing from
      // everything it runs them again.
      assert.equal(await sub.unsubscribe('io:a', 'io:b'), 1);
      assert.equal(await sub.punsubscribe('io:*'), 0);
      assert.equal(await sub.ping(), 'PONG');
      sub.disconnect();
      pub.disconnect();
    }
  ],
];

const nrSteps = [
  [
    'a subscriber connection gets messages and pattern messages',
    async () => {
      const pub = createClient({url});
      const sub = pub.duplicate();
      await pub.connect();
      await sub.connect();
      const got = [];
      await sub.subscribe('nr:chan', (msg, ch) => got.push([ch, msg]));
      await sub.pSubscribe('nr:*', (msg, ch) => got.push(['p', ch, msg]));
      assert.equal(await pub.publish('nr:chan', 'hello'), 2);
      await waitFor(() => got.length === 2);
      assert.deepEqual(got.sort(), [['nr:chan', 'hello'], ['p', 'nr:chan', 'hello']]);
      assert.deepEqual({...(await pub.pubSubNumSub('nr:chan'))}, {'nr:chan': 1});
      await sub.unsubscribe('nr:chan');
      await sub.pUnsubscribe('nr:*');
      await sub.quit();
      await pub.quit();
    }
  ],
  [
    'clientSideCache over RESP3: caches, and sees invalidations',
    async () => {
      const cached = createClient({url, RESP: 3, clientSideCache: {ttl: 0, maxEntries: 0}});
      const writer = createClient({url});
      await cached.connect();
      await writer.connect();
      await writer.set('nr:cached', 'v1');
      assert.equal(await cached.get('nr:cached'), 'v1');
      assert.equal(await cached.get('nr:cached'), 'v1');
      const cache = cached.clientSideCache;
      assert.equal(cache.stats().hitCount, 1);
      await writer.set('nr:cached', 'v2');
      await waitFor(() => cache.size() === 0);
      assert.equal(await cached.get('nr:cached'), 'v2');
      await cached.quit();
      await writer.quit();
    }
  ],
];

(async () => {
  let failed = await runSteps('ioredis', ioSteps);
  failed += await runSteps('node-redis', nrSteps);
  process.exit(failed ? 1 : 0);
})();
