import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { buildIfNeeded } from "../../scripts/server-process";

// zod is about 90 kB gzipped: schemas run on the server, and the browser gets only the plain
// values they are built from (app/validation/*-rules.ts). zod names its error class with this
// string, which minifying keeps.
const zodMarker = "ZodError";

const publicDir = "public";

type RouteEntry = { id: string; parentId?: string; module: string; imports?: string[] };
type Manifest = { entry: { module: string; imports: string[] }; routes: Record<string, RouteEntry> };

function readManifest(): Manifest {
  const name = readdirSync(join(publicDir, "build")).find((file) => /^manifest-.*\.js$/.test(file));
  if (!name) throw new Error("The production build has no manifest");
  const text = readFileSync(join(publicDir, "build", name), "utf8");
  return JSON.parse(text.replace(/^window\.__remixManifest=/, "").replace(/;\s*$/, ""));
}

const readAsset = (url: string) => readFileSync(join(publicDir, url), "utf8");

// Every file a first visit to the page loads: the client entry, the route and its parents up to
// root, and every chunk those import, followed through the files themselves.
function filesOf(manifest: Manifest, routeId: string): Map<string, string> {
  const start = [manifest.entry.module, ...manifest.entry.imports];
  for (let route: RouteEntry | undefined = manifest.routes[routeId]; route; ) {
    start.push(route.module, ...(route.imports ?? []));
    route = route.parentId ? manifest.routes[route.parentId] : undefined;
  }
  const files = new Map<string, string>();
  const queue = [...start];
  for (let url = queue.pop(); url !== undefined; url = queue.pop()) {
    if (files.has(url)) continue;
    const text = readAsset(url);
    files.set(url, text);
    for (const [, imported = ""] of text.matchAll(/(?:import|from)\s*"(\/build\/[^"]+\.js)"/g)) queue.push(imported);
  }
  return files;
}

const withZod = (files: Map<string, string>) =>
  [...files].filter(([, text]) => text.includes(zodMarker)).map(([url]) => url);

describe("client JavaScript", () => {
  let manifest: Manifest;

  beforeAll(() => {
    buildIfNeeded();
    manifest = readManifest();
  }, 180_000);

  test("the home page loads no zod", () => {
    const files = filesOf(manifest, "routes/_index");
    expect(files.size).toBeGreaterThan(2);
    expect(withZod(files)).toEqual([]);
  });

  // A route that builds a schema (or its intent table) when the module loads ships zod again.
  test("no page loads zod", () => {
    const pages = Object.keys(manifest.routes).filter((id) => withZod(filesOf(manifest, id)).length > 0);
    expect(pages).toEqual([]);
  });
});
