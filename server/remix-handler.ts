import { createHash } from "node:crypto";
import { once } from "node:events";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createReadableStreamFromReadable, createRequestHandler, type ServerBuild } from "@remix-run/node";
import type { RequestRecord } from "~/services/request-context.server";
import { signedInSessionId } from "~/services/session.server";
import type { Settings } from "~/settings.server";
import { dataStamp } from "../db/cache";
import { cacheControlFor, ifNoneMatchHas, isStorable, varyOn } from "./cache-policy";
import { type CachedPage, type CutBody, cutAtResponseValues, type PageCache } from "./page-cache";

// Bodies up to this size are gathered and sent in one write (every page is far smaller);
// a larger one (a whole-site export) is streamed as it comes.
const gatherLimitBytes = 4 * 1024 * 1024;

// Cookies a page may be rendered from and still be kept: who is signed in and the chosen
// theme (both part of the key). Any other cookie (a one-time notice, a token shown once)
// means the page is for this request alone.
const keyCookies = new Set(["asklog_session", "__Host-asklog_session", "asklog_theme"]);

type Options = { build: ServerBuild; settings: Settings; cache: PageCache | undefined };

// Runs the Remix app for a request, in front of it the page cache and conditional GETs:
// a kept page or a 304 is answered before Remix is asked. See docs/decisions/013-page-cache.md.
export function remixHandler({ build, settings, cache }: Options) {
  const handle = createRequestHandler(build, settings.nodeEnv === "development" ? "development" : "production");
  const sharedCache = settings.sharedCache;

  // `url` is the address the client asked for (scheme and host as TRUST_PROXY lets a proxy say).
  // A fault rejects the promise, for the edge's error page.
  return async (req: IncomingMessage, res: ServerResponse, record: RequestRecord, url: URL): Promise<void> => {
    const reading = req.method === "GET" || req.method === "HEAD";
    const sessionId = reading ? await signedInSessionId(req.headers.cookie, url.protocol) : undefined;
    const key =
      cache && req.method === "GET" && !url.pathname.startsWith("/api/") && onlyKeyCookies(req.headers.cookie)
        ? [sessionId ?? "-", themeCookie(req.headers.cookie), req.headers["accept-language"] ?? "", url.href].join("\n")
        : undefined;
    // Taken before the render: a write that lands while the page renders moves the stamp on,
    // so the page is stored under a stamp that is already old, and never served.
    const stamp = key ? dataStamp() : "";
    // A page rendering for another request at this stamp is waited for rather than rendered again.
    const kept = key && cache ? (cache.get(key, stamp) ?? (await cache.pending(key, stamp))) : undefined;
    if (kept) {
      send(req, res, kept.status, kept.headers, kept.etag, kept, responseValues(record));
      return;
    }
    const finish = key && cache ? cache.startRender(key, stamp) : undefined;
    let stored: CachedPage | undefined;
    try {
      const response = await handle(remixRequest(req, res, url), {
        requestId: record.requestId,
        nonce: record.nonce,
        clientAddress: record.clientAddress,
      });
      const headers = responseHeaders(response, {
        reading,
        signedIn: sessionId !== undefined,
        status: response.status,
        sharedCache,
      });
      const { body, rest } = await gather(response.body);
      if (rest) {
        await stream(res, response.status, headers, body, rest);
        return;
      }
      const cacheControl = headers.find(([name]) => name === "Cache-Control")?.[1] ?? "";
      if (!reading || response.status !== 200 || cacheControl.includes("no-store")) {
        send(req, res, response.status, headers, undefined, whole(body));
        return;
      }
      const cut = cutAtResponseValues(body, responseValues(record));
      // A route that names its own version (/statuses.css) keeps its ETag.
      const etag = response.headers.get("ETag") ?? etagOf(cut.parts);
      if (key && cache && isStorable(response.status, headers)) {
        stored = cache.set(key, { status: response.status, headers, etag, stamp, ...cut });
      }
      send(req, res, response.status, headers, etag, whole(body));
    } finally {
      finish?.(stored);
    }
  };
}

// What differs between two responses with the same page: see cutAtResponseValues.
function responseValues(record: RequestRecord): string[] {
  return [record.nonce, record.requestId];
}

function whole(body: Buffer): CutBody {
  return { parts: [body], gaps: [] };
}

// The parts of a body go out with this response's values in the gaps, corked so that the
// headers and every part leave in one write.
function send(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  headers: [string, string][],
  etag: string | undefined,
  { parts, gaps }: CutBody,
  values: string[] = [],
) {
  for (const [name, value] of headers) res.appendHeader(name, value);
  if (etag) {
    res.setHeader("ETag", etag);
    if (ifNoneMatchHas(req.headers["if-none-match"], etag)) {
      // A browser keeps the page it has and takes the 304's headers in place of the stored
      // ones: a policy naming this answer's nonce would then refuse that page's scripts, which
      // carry the nonce of the answer that brought them. Left out, the stored policy stands.
      res.removeHeader("Content-Security-Policy");
      res.statusCode = 304;
      res.end();
      return;
    }
  }
  res.statusCode = status;
  const fill = gaps.map((which) => values[which] as string);
  const length = [...parts, ...fill].reduce((sum, piece) => sum + Buffer.byteLength(piece), 0);
  res.setHeader("Content-Length", length);
  res.cork();
  parts.forEach((part, index) => {
    if (index > 0) res.write(fill[index - 1] as string);
    res.write(part);
  });
  res.end();
  res.uncork();
}

async function stream(
  res: ServerResponse,
  status: number,
  headers: [string, string][],
  first: Buffer,
  rest: ReadableStreamDefaultReader<Uint8Array>,
) {
  res.statusCode = status;
  for (const [name, value] of headers) res.appendHeader(name, value);
  res.write(first);
  for (let chunk = await rest.read(); !chunk.done; chunk = await rest.read()) {
    if (res.destroyed) {
      await rest.cancel();
      return;
    }
    if (!res.write(chunk.value)) await once(res, "drain");
  }
  res.end();
}

// The whole body when it is small, or its start and the rest still to read.
async function gather(body: ReadableStream<Uint8Array> | null) {
  if (!body) return { body: Buffer.alloc(0), rest: undefined };
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
    chunks.push(chunk.value);
    size += chunk.value.length;
    if (size > gatherLimitBytes) return { body: Buffer.concat(chunks), rest: reader };
  }
  return { body: Buffer.concat(chunks), rest: undefined };
}

function responseHeaders(
  response: globalThis.Response,
  policy: Omit<Parameters<typeof cacheControlFor>[0], "given" | "setsCookie">,
): [string, string][] {
  const headers: [string, string][] = [];
  const cookies = response.headers.getSetCookie();
  for (const cookie of cookies) headers.push(["Set-Cookie", cookie]);
  for (const [name, value] of response.headers) {
    if (name === "set-cookie" || name === "cache-control" || name === "vary") continue;
    headers.push([name, value]);
  }
  const cacheControl = cacheControlFor({
    ...policy,
    given: response.headers.get("Cache-Control"),
    setsCookie: cookies.length > 0,
  });
  if (cacheControl) headers.push(["Cache-Control", cacheControl]);
  const vary = varyOn(response.headers.get("Vary"), policy.reading);
  if (vary) headers.push(["Vary", vary]);
  return headers;
}

// The strong validator of a page: a hash of its bytes with the nonce and request id taken out, so the same
// page has the same ETag in every process and for every response.
function etagOf(parts: Buffer[]): string {
  const hash = createHash("sha1");
  for (const part of parts) hash.update(part).update("\0");
  return `"${hash.digest("base64url")}"`;
}

function remixRequest(req: IncomingMessage, res: ServerResponse, url: URL): globalThis.Request {
  const headers = new Headers();
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    headers.append(req.rawHeaders[i] as string, req.rawHeaders[i + 1] as string);
  }
  // Loaders and actions stop once nobody can receive the answer.
  const controller = new AbortController();
  res.on("close", () => {
    if (!res.writableFinished) controller.abort();
  });
  const init: RequestInit & { duplex?: "half" } = { method: req.method, headers, signal: controller.signal };
  if (req.method !== "GET" && req.method !== "HEAD") {
    init.body = createReadableStreamFromReadable(req);
    init.duplex = "half";
  }
  return new globalThis.Request(url.href, init);
}

function cookieNames(header: string): string[] {
  return header.split(";").map((pair) => pair.split("=", 1)[0]?.trim() ?? "");
}

function onlyKeyCookies(header: string | undefined): boolean {
  return !header || cookieNames(header).every((name) => keyCookies.has(name));
}

function themeCookie(header: string | undefined): string {
  return header?.match(/(?:^|;\s*)asklog_theme=([^;]*)/)?.[1] ?? "";
}
