// Loaded into the server by scripts/soak.ts (node --require): every 5 s (or every
// ASKLOG_HEAP_EVERY_MS, which a short soak sets lower), a full
// garbage collection and then one line "<ms epoch> <pid> <heap used> <rss>" appended
// to the file named by ASKLOG_HEAP_LOG. The heap left after a full collection is what
// the program really holds on to, which RSS alone cannot tell apart from garbage that
// V8 has not collected yet.
const { appendFileSync } = require("node:fs");
const v8 = require("node:v8");
const vm = require("node:vm");
const { isMainThread } = require("node:worker_threads");

const file = process.env.ASKLOG_HEAP_LOG;
// Preloads run in worker threads too (tsx's module loader is one): only the app's thread counts.
if (file && isMainThread) {
  v8.setFlagsFromString("--expose_gc");
  const gc = vm.runInNewContext("gc");
  setInterval(() => {
    gc();
    const { heapUsed, rss } = process.memoryUsage();
    appendFileSync(file, `${Date.now()} ${process.pid} ${heapUsed} ${rss}\n`);
  }, Number(process.env.ASKLOG_HEAP_EVERY_MS) || 5000).unref();
}
