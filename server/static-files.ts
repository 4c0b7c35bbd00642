import { readdirSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import serveStatic from "serve-static";

// Files from public/: fingerprinted assets under /build/ are cached forever, the few files at
// the top of public/ (listed once, at start) for an hour. Only their own addresses look on
// disk: a page request goes straight to Remix, without a stat().
export function staticFiles(root: string) {
  const assets = serveStatic(root, { immutable: true, maxAge: "1y" });
  const files = serveStatic(root, { maxAge: "1h" });
  const topFiles = new Set(
    readdirSync(root, { withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => `/${entry.name}`),
  );

  // False when the path is not a file's address; otherwise the file is sent, or `next` called
  // when it is missing or the method is not a read.
  return (req: IncomingMessage, res: ServerResponse, path: string, next: (error?: Error) => void): boolean => {
    if (path.startsWith("/build/")) {
      assets(req, res, next);
      return true;
    }
    if (topFiles.has(path) && (req.method === "GET" || req.method === "HEAD")) {
      files(req, res, next);
      return true;
    }
    return false;
  };
}
