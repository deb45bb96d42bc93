// BullMQ throughput: N jobs added in bulk and processed by one worker (concurrency 50);
// prints the jobs per second. usage: node bullmq_bench.js PORT [N]
'use strict';
const {Queue, Worker} = require('bullmq');

const port = Number(process.argv[2]);
const total = Number(process.argv[3] || 20000);
const connection = {
  host: '127.0.0.1',
  port
};

(async () => {
  const name = 'bench' + Date.now();
  const queue = new Queue(name, {connection});
  let done = 0, resolveAll;
  const all = new Promise((res) => (resolveAll = res));
  const start = Date.now();
  const worker = new Worker(name, async (job) => job.data.i, {connection, concurrency: 50});
  worker.on('completed', () => {
    if (++done === total) resolveAll();
  });
  for (let i = 0; i < total; i += 1000) {
    await queue.addBulk(Array.from(
        {length: Math.min(1000, total - i)}, (_, j) => ({name: 'job', data: {i: i + j}})));
  }
  await all;
  const seconds = (Date.now() - start) / 1000;
  console.log((total / seconds).toFixed(0));
  await worker.close();
  await queue.obliterate({force: true});
  await queue.close();
  process.exit(0);
})();
