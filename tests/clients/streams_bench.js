// A consumer-group work queue's rate: one producer (pipelined XADD), 4 consumers (XREADGROUP
// COUNT 100 BLOCK, then one XACK per batch). Prints entries/s over the whole run, and over
// its first and last `window` entries acknowledged.
// usage: node streams_bench.js PORT [N] [window]
'use strict';
const Redis = require('ioredis');

const port = Number(process.argv[2]);
const total = Number(process.argv[3] || 200000);
const windowSize = Number(process.argv[4] || Math.min(100000, total / 4));

(async () => {
  const r = new Redis({port});
  const key = 'bench:q' + Date.now();
  await r.xgroup('CREATE', key, 'g', '$', 'MKSTREAM');
  let acked = 0, firstDone = 0, lastStart = 0;
  const start = Date.now();
  const consumers = Array.from({length: 4}, async (_, w) => {
    const c = new Redis({port});
    while (acked < total) {
      const res = await c.xreadgroup(
          'GROUP', 'g', `w${w}`, 'COUNT', 100, 'BLOCK', 1000, 'STREAMS', key, '>');
      if (!res) continue;
      const ids = res[0][1].map((e) => e[0]);
      await c.xack(key, 'g', ...ids);
      const before = acked;
      acked += ids.length;
      if (before < windowSize && acked >= windowSize) firstDone = Date.now();
      if (before < total - windowSize && acked >= total - windowSize) lastStart = Date.now();
    }
    c.disconnect();
  });
  for (let i = 0; i < total; i += 500) {
    const p = r.pipeline();
    for (let j = i; j < Math.min(total, i + 500); j++) p.xadd(key, '*', 'n', String(j));
    await p.exec();
    // Stay at most a few batches ahead of the consumers, as a steady producer would.
    while (i - acked > 20000) await new Promise((res) => setTimeout(res, 1));
  }
  await Promise.all(consumers);
  const end = Date.now();
  const rate = (n, ms) => (n / (ms / 1000)).toFixed(0);
  console.log(`${rate(total, end - start)} ${rate(windowSize, firstDone - start)} ${
      rate(windowSize, end - lastStart)}`);
  await r.del(key);
  r.disconnect();
})();
