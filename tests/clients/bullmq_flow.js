// BullMQ against strata-server: a job queue whose every step is a Lua script, and whose
// events are a stream read with XREAD BLOCK. 1000 jobs, retried failures and delayed jobs.
// usage: node bullmq_flow.js PORT
'use strict';
const {Queue, Worker, QueueEvents} = require('bullmq');
const {assert, runSteps} = require('./flow');

const port = Number(process.argv[2]);
const connection = {
  host: '127.0.0.1',
  port
};

const steps = [
  [
    'bullmq: 1000 jobs, retried failures and delayed jobs all complete',
    async () => {
      const name = 'flow' + Date.now();
      const queue = new Queue(name, {connection});
      const events = new QueueEvents(name, {connection});
      await events.waitUntilReady();
      const attempts = new Map();
      const done = new Set();
      let resolveAll;
      const all = new Promise((res) => (resolveAll = res));
      const total = 1000 + 20 + 10;
      const worker = new Worker(name, async (job) => {
        const n = (attempts.get(job.id) || 0) + 1;
        attempts.set(job.id, n);
        if (job.name === 'flaky' && n < 3) throw new Error('try again');
        if (job.name === 'delayed') assert.ok(Date.now() - job.timestamp >= 250);
        return job.data.i * 2;
      }, {connection, concurrency: 50});
      worker.on('completed', (job, value) => {
        assert.equal(value, job.data.i * 2);
        done.add(job.id);
        if (done.size === total) resolveAll();
      });
      const start = Date.now();
      await queue.addBulk(Array.from({length: 1000}, (_, i) => ({name: 'job', data: {i}})));
      for (let i = 0; i < 20; i++) {
        await queue.add('flaky', {i}, {attempts: 3, backoff: {type: 'fixed', delay: 10}});
      }
      for (let i = 0; i < 10; i++) await queue.add('delayed', {i}, {delay: 300});
      await Promise.race([
        all,
        new Promise(
            (_, rej) => setTimeout(
                () => rej(new Error(`timed out with ${done.size} of ${total} done`)), 60000))
      ]);
      const seconds = (Date.now() - start) / 1000;
      const counts = await queue.getJobCounts('completed', 'failed', 'waiting', 'delayed');
      assert.deepEqual(counts, {completed: total, failed: 0, waiting: 0, delayed: 0});
      for (const [id, n] of attempts) {
        const job = await queue.getJob(id);
        if (job.name === 'flaky') assert.equal(n, 3);
      }
      console.log(`# bullmq: ${total} jobs in ${seconds.toFixed(2)} s`);
      await worker.close();
      await events.close();
      await queue.obliterate({force: true});
      await queue.close();
    }
  ],
];

runSteps('node', steps).then((failed) => process.exit(failed ? 1 : 0));
