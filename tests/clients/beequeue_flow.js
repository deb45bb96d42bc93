// bee-queue (pinned) against strata-server: a queue processing 1,000 jobs with its events
// (Pub/Sub) on: node beequeue_flow.js PORT
'use strict';
const Queue = require('bee-queue');
const {assert, runSteps} = require('./flow');

const port = Number(process.argv[2]);

const steps = [
  [
    '1,000 jobs processed, succeeded events seen by the producer',
    async () => {
      const redis = {host: '127.0.0.1', port};
      const producer = new Queue('strata-bq', {redis, isWorker: false, getEvents: true});
      const worker = new Queue('strata-bq', {redis, activateDelayedJobs: true});
      await producer.ready();
      await worker.ready();
      await producer.destroy();  // a clean queue
      let processed = 0;
      worker.process(10, async (job) => {
        processed++;
        return job.data.n * 2;
      });
      const results = new Map();
      const done = new Promise((resolve) => {
        producer.on('job succeeded', (id, result) => {
          results.set(id, result);
          if (results.size === 1000) resolve();
        });
      });
      const jobs = [];
      for (let n = 0; n < 1000; n++) jobs.push(producer.createJob({n}));
      const errors = await producer.saveAll(jobs);
      assert.equal(errors.size, 0);
      await Promise.race([
        done,
        new Promise(
            (_, rej) => setTimeout(
                () => rej(new Error(
                    `timed out: ${results.size} succeeded events, ${processed} processed`)),
                30000))
      ]);
      assert.equal(processed, 1000);
      const sum = [...results.values()].reduce((a, b) => a + b, 0);
      assert.equal(sum, 999 * 1000);  // 2 * (0 + ... + 999)
      const counts = await producer.checkHealth();
      assert.equal(counts.succeeded, 1000);
      assert.equal(counts.waiting, 0);
      await worker.close();
      await producer.close();
    }
  ],
];

runSteps('bee-queue', steps).then((failed) => process.exit(failed ? 1 : 0));
