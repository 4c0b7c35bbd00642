import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import express, { type NextFunction, type Request, type Response } from "express";
import { databaseHealth } from "./app/models/health.server";
import { ensureAdmin } from "./app/models/user.server";
import { withErrorReferences } from "./app/services/error-reference.server";
import { isSameOriginRequest } from "./app/services/origin.server";
import { newRequestRecord, runWithRequest } from "./app/services/request-context.server";
import { logError, logRequest } from "./app/services/request-log.server";
import { securityHeaders } from "./app/services/security-headers.server";
import { closeDb, databasePath, db } from "./db/client";
import { applyMigrations } from "./db/migrate";
import { demoPassword, demoSignIns, hasDemoSignIns, isEmpty, seedDemo } from "./db/seed";

const startedAt = performance.now();
const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? "0.0.0.0";
// Form posts are small; anything bigger is refused before a byte of it is parsed.
const maxBodyBytes = Number(process.env.MAX_BODY_BYTES ?? 1024 * 1024);
// Set APP_URL when a proxy in front changes the host or scheme the browser sees.
const appUrl = process.env.APP_URL ? new URL(process.env.APP_URL).origin : undefined;

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
const build: ServerBuild = withErrorReferences(await import(buildPath));

const app = express();
app.disable("x-powered-by");
// TRUST_PROXY (e.g. "loopback" or "1") lets X-Forwarded-For/-Proto name the client and https.
if (process.env.TRUST_PROXY) app.set("trust proxy", process.env.TRUST_PROXY);

// Every request gets an id, a script nonce and one JSON log line when it ends.
app.use((req: Request, res: Response, next: NextFunction) => {
  const started = performance.now();
  const record = newRequestRecord(req.ip ?? req.socket.remoteAddress ?? "unknown");
  res.locals.record = record;
  res.set(securityHeaders(record.nonce));
  res.set("X-Request-Id", record.requestId);
  res.on("finish", () =>
    logRequest({
      requestId: record.requestId,
      method: req.method,
      path: req.originalUrl,
      status: res.statusCode,
      durationMs: Math.round((performance.now() - started) * 10) / 10,
      userId: record.userId,
    }),
  );
  runWithRequest(record, next);
});

app.get("/healthz", (_req, res) => {
  const health = databaseHealth();
  res.status(health.ok ? 200 : 503).json({ status: health.ok ? "ok" : "unavailable", database: health });
});

// Fingerprinted assets can be cached forever; everything else in public/ briefly.
app.use("/build", express.static("public/build", { immutable: true, maxAge: "1y" }));
app.use(express.static("public", { maxAge: "1h" }));

// Writes must come from our own pages, and carry a body of a size we accept.
app.use((req: Request, res: Response, next: NextFunction) => {
  const sameOrigin = isSameOriginRequest(
    req.method,
    { origin: req.get("origin"), referer: req.get("referer") },
    appUrl ?? `${req.protocol}://${req.get("host")}`,
  );
  if (!sameOrigin) {
    refuse(res, 403, "Request refused", "This form was sent from another site, so Asklog did not act on it.");
    return;
  }
  const length = req.get("content-length");
  if (length === undefined && req.get("transfer-encoding")) {
    refuse(res, 411, "Request refused", "Asklog only accepts forms that state their size.");
    return;
  }
  if (Number(length ?? 0) > maxBodyBytes) {
    refuse(res, 413, "Too much text", "What you sent is larger than Asklog accepts. Shorten it and try again.");
    return;
  }
  next();
});

app.all(
  "*",
  createRequestHandler({
    build,
    // Production (errors reach the browser without details) unless `npm run dev` says otherwise.
    mode: process.env.NODE_ENV === "development" ? "development" : "production",
    getLoadContext: (_req, res) => {
      const { requestId, nonce, clientAddress } = res.locals.record;
      return { requestId, nonce, clientAddress };
    },
  }),
);

// Faults outside Remix: a malformed address (%E0%A4 cut short) is the client's, anything else ours.
app.use((error: Error & { status?: number }, _req: Request, res: Response, _next: NextFunction) => {
  const record = res.locals.record;
  if ((error.status ?? 500) < 500) {
    refuse(
      res,
      error.status ?? 400,
      "Request not accepted",
      "This address is malformed. Check the link and try again.",
    );
    return;
  }
  logError(record?.requestId, error);
  refuse(
    res,
    500,
    "Something went wrong",
    `An unexpected error stopped this request. Reference: ${record?.requestId}.`,
  );
});

// A short page for requests refused before Remix sees them. The connection is closed
// after it, so an unread oversized body is not left in the pipe.
function refuse(res: Response, status: number, title: string, message: string) {
  res
    .status(status)
    .set("Connection", "close")
    .type("html")
    .send(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title} · Asklog</title></head>` +
        `<body><main><h1>${title}</h1><p>${message}</p><p><a href="/">Back to all asks</a></p></main></body></html>`,
    );
}

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
