import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import express from "express";
import { ensureAdmin } from "./app/models/user.server";
import { closeDb, databasePath, db } from "./db/client";
import { applyMigrations } from "./db/migrate";
import { demoPassword, demoSignIns, hasDemoSignIns, isEmpty, seedDemo } from "./db/seed";

const startedAt = performance.now();
const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? "0.0.0.0";

applyMigrations();
// Fresh statistics for the query planner after migrations added or changed indexes;
// without them SQLite may scan 100,000 asks where an index range would do.
db().$client.pragma("optimize=0x10002");
if (process.env.SEED_DEMO !== "0" && isEmpty()) await seedDemo();
if (process.env.ADMIN_EMAIL && process.env.ADMIN_PASSWORD) {
  await ensureAdmin(process.env.ADMIN_EMAIL, process.env.ADMIN_PASSWORD);
}

// A path held in a variable: the build is created by `npm run build`, not checked in.
const buildPath = "./build/index.js";
const build: ServerBuild = await import(buildPath);

const app = express();
app.disable("x-powered-by");
// Fingerprinted assets can be cached forever; everything else in public/ briefly.
app.use("/build", express.static("public/build", { immutable: true, maxAge: "1y" }));
app.use(express.static("public", { maxAge: "1h" }));
app.all("*", createRequestHandler({ build }));

const server = app.listen(port, host, () => {
  const url = `http://localhost:${port}`;
  console.log(
    `Asklog is running at ${url} (database: ${databasePath()}, ready in ${Math.round(performance.now() - startedAt)} ms)`,
  );
  if (hasDemoSignIns()) {
    console.log(`Demo data loaded. Sign in with password "${demoPassword}" as:`);
    for (const s of demoSignIns) console.log(`  ${s.email.padEnd(24)} ${s.role}`);
  }
});

function shutdown() {
  server.close(() => {
    closeDb();
    process.exit(0);
  });
}
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);
