import { readdirSync } from "node:fs";
import type { ServerBuild } from "@remix-run/node";
import express, { type NextFunction, type Request, type Response } from "express";
import { databaseHealth } from "~/models/health.server";
import { newRequestRecord, type RequestRecord, runWithRequest } from "~/services/request-context.server";
import { logError, logRequest } from "~/services/request-log.server";
import type { Settings } from "~/settings.server";
import { withErrorReferences } from "./error-reference";
import { isSameOriginRequest } from "./origin";
import { PageCache } from "./page-cache";
import { remixHandler } from "./remix-handler";
import { securityHeaders } from "./security-headers";

// The HTTP edge: what every request goes through before and around the Remix app.
export function createApp(build: ServerBuild, settings: Settings): express.Express {
  const app = express();
  app.disable("x-powered-by");
  app.disable("etag");
  // Nothing here reads req.query (Remix parses the URL itself): skip parsing it on every request.
  app.set("query parser", false);
  const pageCache = settings.pageCacheBytes > 0 ? new PageCache(settings.pageCacheBytes) : undefined;
  // TRUST_PROXY (e.g. "loopback" or 1) lets X-Forwarded-For/-Proto name the client and https.
  if (settings.trustProxy !== undefined) app.set("trust proxy", settings.trustProxy);

  // Every request gets an id, a script nonce and one JSON log line when it ends.
  app.use((req: Request, res: Response, next: NextFunction) => {
    const started = performance.now();
    const record = newRequestRecord(req.ip ?? req.socket.remoteAddress ?? "unknown");
    res.locals.record = record;
    res.set(securityHeaders(record.nonce, req.path));
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
    // The pid tells apart the web processes behind one port (WEB_CONCURRENCY).
    res
      .status(health.ok ? 200 : 503)
      .set("Cache-Control", "no-store")
      .json({
        status: health.ok ? "ok" : "unavailable",
        pid: process.pid,
        database: health,
        // This process's page cache: how full, and how often a page came from it.
        pageCache: pageCache?.stats() ?? "off",
      });
  });

  // Fingerprinted assets can be cached forever; the other files in public/ briefly. Only
  // their own addresses look on disk: a page request goes straight to Remix, without a stat().
  app.use("/build", express.static("public/build", { immutable: true, maxAge: "1y" }));
  const publicFiles = readdirSync("public", { withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => `/${entry.name}`);
  app.get(publicFiles, express.static("public", { maxAge: "1h" }));

  // The JSON API answers pages on other sites only when API_CORS_ORIGINS lists them. No
  // credentials are allowed: the API reads a bearer token, never the cookie.
  app.use("/api/v1", (req: Request, res: Response, next: NextFunction) => {
    const origin = req.get("origin");
    if (!origin || !settings.apiCorsOrigins.includes(origin)) {
      next();
      return;
    }
    res.set({
      "Access-Control-Allow-Origin": origin,
      "Access-Control-Expose-Headers":
        "RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset, RateLimit-Policy, Retry-After, Idempotent-Replayed",
      Vary: "Origin",
    });
    if (req.method !== "OPTIONS") {
      next();
      return;
    }
    res
      .set({
        "Access-Control-Allow-Methods": "GET, POST, PUT, DELETE",
        "Access-Control-Allow-Headers": "Authorization, Content-Type, Idempotency-Key",
        "Access-Control-Max-Age": "600",
      })
      .status(204)
      .end();
  });

  // Writes must come from our own pages, and carry a body of a size we accept.
  app.use((req: Request, res: Response, next: NextFunction) => {
    const api = req.path.startsWith("/api/v1");
    const sameOrigin = isSameOriginRequest(
      req.method,
      { origin: req.get("origin"), referer: req.get("referer"), authorization: req.get("authorization") },
      settings.appOrigin ?? `${req.protocol}://${req.get("host")}`,
      req.path,
    );
    if (!sameOrigin) {
      if (api) refuseApi(res, 403, "A write without a token must come from Asklog's own pages.");
      else refuse(res, 403, "Request refused", "This form was sent from another site, so Asklog did not act on it.");
      return;
    }
    const length = req.get("content-length");
    if (length === undefined && req.get("transfer-encoding")) {
      if (api) refuseApi(res, 411, "Send a Content-Length with the body.");
      else refuse(res, 411, "Request refused", "Asklog only accepts forms that state their size.");
      return;
    }
    // An import upload is far larger than any form: /admin/import checks IMPORT_MAX_BYTES itself,
    // before reading the body, and answers with its own page naming the limit.
    if (req.path !== "/admin/import" && Number(length ?? 0) > settings.maxBodyBytes) {
      const answer = () => {
        if (api) refuseApi(res, 413, "The body is larger than Asklog accepts.");
        else
          refuse(res, 413, "Too much text", "What you sent is larger than Asklog accepts. Shorten it and try again.");
      };
      // A client still sending when the answer goes out may get a reset connection instead of
      // the answer. A body of a few megabytes is read and dropped first, so the 413 arrives;
      // a larger one is answered at once.
      if (Number(length) > drainLimitBytes) return answer();
      req.on("end", answer).on("error", () => res.destroy());
      req.resume();
      return;
    }
    next();
  });

  app.all("*", remixHandler({ build: withErrorReferences(build), settings, cache: pageCache }));

  // Faults outside Remix: a malformed address (%E0%A4 cut short) is the client's, anything else ours.
  app.use((error: Error & { status?: number }, _req: Request, res: Response, _next: NextFunction) => {
    const requestId = recordOf(res).requestId;
    if ((error.status ?? 500) < 500) {
      refuse(
        res,
        error.status ?? 400,
        "Request not accepted",
        "This address is malformed. Check the link and try again.",
      );
      return;
    }
    logError(requestId, error);
    refuse(res, 500, "Something went wrong", `An unexpected error stopped this request. Reference: ${requestId}.`);
  });

  return app;
}

// Set by the first middleware for every request, before anything that reads it.
function recordOf(res: Response): RequestRecord {
  return res.locals.record;
}

// The same for the JSON API, as RFC 9457 problem details.
// How much of an oversized body is read and dropped before the 413 (see above).
const drainLimitBytes = 16 * 1024 * 1024;

function refuseApi(res: Response, status: number, detail: string) {
  const title = { 403: "Forbidden", 411: "Length required", 413: "Content too large" }[status] ?? "Refused";
  res
    .status(status)
    .set("Connection", "close")
    .type("application/problem+json")
    .send(JSON.stringify({ type: `/api/docs#problem-${status}`, title, status, detail }));
}

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
