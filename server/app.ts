import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import express, { type NextFunction, type Request, type Response } from "express";
import { databaseHealth } from "~/models/health.server";
import { newRequestRecord, type RequestRecord, runWithRequest } from "~/services/request-context.server";
import { logError, logRequest } from "~/services/request-log.server";
import type { Settings } from "~/settings.server";
import { withErrorReferences } from "./error-reference";
import { isSameOriginRequest } from "./origin";
import { securityHeaders } from "./security-headers";

// The HTTP edge: what every request goes through before and around the Remix app.
export function createApp(build: ServerBuild, settings: Settings): express.Express {
  const app = express();
  app.disable("x-powered-by");
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
      settings.appOrigin ?? `${req.protocol}://${req.get("host")}`,
      req.path,
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
    // An import upload is far larger than any form: /admin/import checks IMPORT_MAX_BYTES itself,
    // before reading the body, and answers with its own page naming the limit.
    if (req.path !== "/admin/import" && Number(length ?? 0) > settings.maxBodyBytes) {
      refuse(res, 413, "Too much text", "What you sent is larger than Asklog accepts. Shorten it and try again.");
      return;
    }
    next();
  });

  app.all(
    "*",
    createRequestHandler({
      build: withErrorReferences(build),
      // Production (errors reach the browser without details) unless `npm run dev` says otherwise.
      mode: settings.nodeEnv === "development" ? "development" : "production",
      getLoadContext: (_req, res) => {
        const { requestId, nonce, clientAddress } = recordOf(res);
        return { requestId, nonce, clientAddress };
      },
    }),
  );

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
