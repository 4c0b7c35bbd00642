import { PassThrough } from "node:stream";
import type { AppLoadContext, EntryContext, HandleErrorFunction } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { renderToPipeableStream } from "react-dom/server";
import { NonceContext } from "~/components/nonce";
import { currentRequest } from "~/services/request-context.server";
import { logError } from "~/services/request-log.server";

export const streamTimeout = 5_000;

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false;
    const { nonce } = loadContext;
    const app = (
      <NonceContext.Provider value={nonce}>
        <RemixServer context={remixContext} url={request.url} nonce={nonce} />
      </NonceContext.Provider>
    );
    const { pipe, abort } = renderToPipeableStream(app, {
      nonce,
      // The whole document, for every client alike: the edge sends a page in one write and
      // hashes it for its ETag, so a streamed shell would gain nothing, and a page rendered one
      // way for crawlers and another for browsers would carry two ETags.
      onAllReady() {
        shellRendered = true;
        const body = new PassThrough();
        // Security headers (the policy naming this nonce among them) are set by server/app.ts.
        responseHeaders.set("Content-Type", "text/html; charset=utf-8");
        resolve(
          new Response(createReadableStreamFromReadable(body), {
            headers: responseHeaders,
            status: responseStatusCode,
          }),
        );
        pipe(body);
      },
      onShellError(error: unknown) {
        reject(error);
      },
      onError(error: unknown) {
        responseStatusCode = 500;
        if (shellRendered) logError(loadContext.requestId, error);
      },
    });
    setTimeout(abort, streamTimeout + 1000);
  });
}

// Errors Remix catches outside our loaders and actions (those are logged by
// withErrorReferences): failed renders, malformed requests.
export const handleError: HandleErrorFunction = (error, { request }) => {
  if (request.signal.aborted) return;
  logError(currentRequest()?.requestId, error);
};
