// Node.js applications built on scripts, against strata-server: ioredis defineCommand,
// rate-limiter-flexible and Redlock.
// usage: node scripting_flow.js PORT
'use strict';
const Redis = require('ioredis');
const {RateLimiterRedis} = require('rate-limiter-flexible');
const Redlock = require('redlock');
const {assert, runSteps} = require('./flow');

const port = Number(process.argv[2]);
const r = new Redis({port, maxRetriesPerRequest: 1});

const steps = [
  [
    'ioredis: defineCommand runs by EVALSHA and reloads after SCRIPT FLUSH',
    async () => {
      r.defineCommand('addAndGet', {
        numberOfKeys: 1,
        lua: 'redis.call(\'incrby\', KEYS[1], ARGV[1]); return redis.call(\'get\', KEYS[1])',
      });
      assert.equal(await r.addAndGet('js:n', 5), '5');
      await r.script('FLUSH');
      assert.equal(await r.addAndGet('js:n', 2), '7');
      const out = await r.pipeline().addAndGet('js:n', 1).addAndGet('js:n', 1).exec();
      assert.deepEqual(out, [[null, '8'], [null, '9']]);
    }
  ],
  [
    'rate-limiter-flexible: consumes points atomically and refuses past the limit',
    async () => {
      const limiter =
          new RateLimiterRedis({storeClient: r, keyPrefix: 'rl', points: 5, duration: 10});
      const results =
          await Promise.allSettled(Array.from({length: 8}, () => limiter.consume('user1')));
      const ok = results.filter((x) => x.status === 'fulfilled');
      const refused = results.filter((x) => x.status === 'rejected');
      assert.equal(ok.length, 5);
      assert.equal(refused.length, 3);
      assert.equal(refused[0].reason.remainingPoints, 0);
      assert.ok(refused[0].reason.msBeforeNext > 0);
      const res = await limiter.get('user1');
      assert.equal(res.consumedPoints, 8);
    }
  ],
  [
    'redlock: one holder at a time, extend, release',
    async () => {
      const redlock = new Redlock([r], {retryCount: 0});
      const lock = await redlock.lock('locks:res', 2000);
      await assert.rejects(redlock.lock('locks:res', 2000));
      const longer = await lock.extend(5000);
      assert.ok(await r.pttl('locks:res') > 2000);
      await longer.unlock();
      const again = await redlock.lock('locks:res', 1000);
      await again.unlock();
      assert.equal(await r.exists('locks:res'), 0);
    }
  ],
];

runSteps('node', steps).then((failed) => {
  r.quit();
  process.exit(failed ? 1 : 0);
});
