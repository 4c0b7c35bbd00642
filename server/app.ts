import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from "node:http";
import type { ServerBuild } from "@remix-run/node";
import { databaseHealth } from "~/models/health.server";
import { newRequestRecord, type RequestRecord, runWithRequest } from "~/services/request-context.server";
import { logError, logRequest } from "~/services/request-log.server";
import type { Settings } from "~/settings.server";
import { withErrorReferences } from "./error-reference";
import { isSameOriginRequest } from "./origin";
import { PageCache } from "./page-cache";
import { remixHandler } from "./remix-handler";
import { clientAddress, compileTrust, hostOf, isMalformedPath, pathOf, protocolOf } from "./request";
import { securityHeaders } from "./security-headers";
import { staticFiles } from "./static-files";

// How much of an oversized body is read and dropped before the 413 (see below).
const drainLimitBytes = 16 * 1024 * 1024;

// The HTTP edge: what every request goes through before and around the Remix app, on plain
// node:http (docs/decisions/013-page-cache.md says why not Express).
export function createApp(build: ServerBuild, settings: Settings) {
  const pageCache = settings.pageCacheBytes > 0 ? new PageCache(settings.pageCacheBytes) : undefined;
  // TRUST_PROXY (e.g. "loopback" or 1) lets X-Forwarded-For/-Proto/-Host name the client, https and the host.
  const trust = compileTrust(settings.trustProxy);
  const files = staticFiles("public");
  const renderPage = remixHandler({ build: withErrorReferences(build), settings, cache: pageCache });

  const health = (res: ServerResponse) => {
    const database = databaseHealth();
    // The pid tells apart the web processes behind one port (WEB_CONCURRENCY).
    sendBody(
      res,
      database.ok ? 200 : 503,
      { "Cache-Control": "no-store", "Content-Type": "application/json; charset=utf-8" },
      JSON.stringify({
        status: database.ok ? "ok" : "unavailable",
        pid: process.pid,
        database,
        // This process's page cache: how full, and how often a page came from it.
        pageCache: pageCache?.stats() ?? "off",
      }),
    );
  };

  // The JSON API answers pages on other sites only when API_CORS_ORIGINS lists them. No
  // credentials are allowed: the API reads a bearer token, never the cookie. True when the
  // request was a preflight, answered here.
  const cors = (req: IncomingMessage, res: ServerResponse): boolean => {
    const origin = req.headers.origin;
    if (!origin || !settings.apiCorsOrigins.includes(origin)) return false;
    res.setHeader("Access-Control-Allow-Origin", origin);
    res.setHeader(
      "Access-Control-Expose-Headers",
      "RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset, RateLimit-Policy, Retry-After, Idempotent-Replayed",
    );
    res.setHeader("Vary", "Origin");
    if (req.method !== "OPTIONS") return false;
    res.setHeader("Access-Control-Allow-Methods", "GET, POST, PUT, DELETE");
    res.setHeader("Access-Control-Allow-Headers", "Authorization, Content-Type, Idempotency-Key");
    res.setHeader("Access-Control-Max-Age", "600");
    res.statusCode = 204;
    res.end();
    return true;
  };

  // Writes must come from our own pages, and carry a body of a size we accept. True when the
  // request was refused (or its refusal is on its way, after the body is drained).
  const refused = (req: IncomingMessage, res: ServerResponse, path: string, api: boolean): boolean => {
    const sameOrigin = isSameOriginRequest(
      req.method ?? "GET",
      { origin: req.headers.origin, referer: req.headers.referer, authorization: req.headers.authorization },
      settings.appOrigin ?? `${protocolOf(req, trust)}://${req.headers.host}`,
      path,
    );
    if (!sameOrigin) {
      if (api) refuseApi(res, 403, "A write without a token must come from Asklog's own pages.");
      else refuse(res, 403, "Request refused", "This form was sent from another site, so Asklog did not act on it.");
      return true;
    }
    const length = req.headers["content-length"];
    if (length === undefined && req.headers["transfer-encoding"]) {
      if (api) refuseApi(res, 411, "Send a Content-Length with the body.");
      else refuse(res, 411, "Request refused", "Asklog only accepts forms that state their size.");
      return true;
    }
    // An import upload is far larger than any form: /admin/import checks IMPORT_MAX_BYTES itself,
    // before reading the body, and answers with its own page naming the limit.
    if (path !== "/admin/import" && Number(length ?? 0) > settings.maxBodyBytes) {
      const answer = () => {
        if (api) refuseApi(res, 413, "The body is larger than Asklog accepts.");
        else
          refuse(res, 413, "Too much text", "What you sent is larger than Asklog accepts. Shorten it and try again.");
      };
      // A client still sending when the answer goes out may get a reset connection instead of
      // the answer. A body of a few megabytes is read and dropped first, so the 413 arrives;
      // a larger one is answered at once.
      if (Number(length) > drainLimitBytes) answer();
      else {
        req.on("end", answer).on("error", () => res.destroy());
        req.resume();
      }
      return true;
    }
    return false;
  };

  // Everything after the static files, in the order Express ran it.
  const route = async (req: IncomingMessage, res: ServerResponse, record: RequestRecord, path: string) => {
    if ((path === "/api/v1" || path.startsWith("/api/v1/")) && cors(req, res)) return;
    if (refused(req, res, path, path.startsWith("/api/v1"))) return;
    if (isMalformedPath(path)) {
      refuse(res, 400, "Request not accepted", "This address is malformed. Check the link and try again.");
      return;
    }
    const url = new URL(`${protocolOf(req, trust)}://${hostOf(req, trust) || "localhost"}${req.url}`);
    await renderPage(req, res, record, url);
  };

  return (req: IncomingMessage, res: ServerResponse): void => {
    const started = performance.now();
    const path = pathOf(req.url ?? "/");
    // Every request gets an id, a script nonce and one JSON log line when it ends.
    const record = newRequestRecord(clientAddress(req, trust));
    for (const [name, value] of Object.entries(securityHeaders(record.nonce, path))) res.setHeader(name, value);
    res.setHeader("X-Request-Id", record.requestId);
    res.on("finish", () =>
      logRequest({
        requestId: record.requestId,
        method: req.method ?? "",
        path: req.url ?? "",
        status: res.statusCode,
        durationMs: Math.round((performance.now() - started) * 10) / 10,
        userId: record.userId,
      }),
    );
    runWithRequest(record, () => {
      const fail = (error: unknown) => faultPage(res, record, error);
      const rest = () => route(req, res, record, path).catch(fail);
      try {
        if (path === "/healthz" && (req.method === "GET" || req.method === "HEAD")) health(res);
        else if (!files(req, res, path, (error) => (error ? fail(error) : rest()))) rest();
      } catch (error) {
        fail(error);
      }
    });
  };
}

// Faults outside Remix are ours: logged, and answered with the reference the log line carries.
// Once the answer has begun there is no page to show: the connection is cut instead.
function faultPage(res: ServerResponse, record: RequestRecord, error: unknown) {
  logError(record.requestId, error);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  refuse(res, 500, "Something went wrong", `An unexpected error stopped this request. Reference: ${record.requestId}.`);
}

function sendBody(res: ServerResponse, status: number, headers: OutgoingHttpHeaders, body: string) {
  res.statusCode = status;
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) res.setHeader(name, value);
  res.setHeader("Content-Length", Buffer.byteLength(body));
  res.end(body);
}

// The same for the JSON API, as RFC 9457 problem details.
function refuseApi(res: ServerResponse, status: number, detail: string) {
  const title = { 403: "Forbidden", 411: "Length required", 413: "Content too large" }[status] ?? "Refused";
  sendBody(
    res,
    status,
    { Connection: "close", "Content-Type": "application/problem+json; charset=utf-8" },
    JSON.stringify({ type: `/api/docs#problem-${status}`, title, status, detail }),
  );
}

// A short page for requests refused before Remix sees them. The connection is closed
// after it, so an unread oversized body is not left in the pipe.
function refuse(res: ServerResponse, status: number, title: string, message: string) {
  sendBody(
    res,
    status,
    { Connection: "close", "Content-Type": "text/html; charset=utf-8" },
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title} · Asklog</title></head>` +
      `<body><main><h1>${title}</h1><p>${message}</p><p><a href="/">Back to all asks</a></p></main></body></html>`,
  );
}
