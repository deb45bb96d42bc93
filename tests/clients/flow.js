// Shared by the Node.js flows: runs named steps, prints `ok NAME` or `FAIL NAME: error` (the
// library's own error text) per step, and exits non-zero when one failed.
'use strict';
const assert = require('node:assert/strict');

async function runSteps(library, steps) {
  let failed = 0;
  for (const [name, fn] of steps) {
    try {
      await fn();
      console.log(`ok ${library}: ${name}`);
    } catch (e) {
      failed++;
      console.log(`FAIL ${library}: ${name}: ${
          e && e.stack ? e.stack.split('\n').slice(0, 3).join(' | ') : e}`);
    }
  }
  return failed;
}

module.exports = {
  assert,
  runSteps
};
