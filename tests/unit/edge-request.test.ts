import { createServer, type IncomingMessage, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientAddress, compileTrust, hostOf, isMalformedPath, pathOf, protocolOf } from "../../server/request";

// What the edge believes about a request that came through proxies, for each kind of TRUST_PROXY,
// over a real connection from 127.0.0.1.

let server: Server;
let received: (req: IncomingMessage) => void = () => {};

beforeAll(async () => {
  server = createServer((req, res) => {
    received(req);
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const proxied = {
  "X-Forwarded-For": "203.0.113.9, 10.0.0.1",
  "X-Forwarded-Proto": "https, http",
  "X-Forwarded-Host": "asks.example:8443, inner.example",
  Host: "127.0.0.1:3000",
};

function seen(setting: number | boolean | string | undefined, headers: Record<string, string> = proxied) {
  const trust = compileTrust(setting);
  return new Promise<{ client: string; protocol: string; host: string }>((resolve, reject) => {
    received = (req) =>
      resolve({ client: clientAddress(req, trust), protocol: protocolOf(req, trust), host: hostOf(req, trust) });
    const { port } = server.address() as AddressInfo;
    request({ host: "127.0.0.1", port, path: "/", headers }, (res) => res.resume())
      .on("error", reject)
      .end();
  });
}

describe("TRUST_PROXY", () => {
  it("unset, believes no forwarded header", async () => {
    expect(await seen(undefined)).toEqual({ client: "127.0.0.1", protocol: "http", host: "127.0.0.1:3000" });
  });

  it("false, the same as unset", async () => {
    expect(await seen(false)).toEqual({ client: "127.0.0.1", protocol: "http", host: "127.0.0.1:3000" });
  });

  it("true, believes every proxy: the client is the first address", async () => {
    expect(await seen(true)).toEqual({ client: "203.0.113.9", protocol: "https", host: "asks.example:8443" });
  });

  it("a number of hops, believes that many proxies from the socket inwards", async () => {
    expect(await seen(1)).toEqual({ client: "10.0.0.1", protocol: "https", host: "asks.example:8443" });
    expect((await seen(2)).client).toBe("203.0.113.9");
  });

  it("names and subnets, believes only the proxies they cover", async () => {
    expect((await seen("loopback")).client).toBe("10.0.0.1");
    expect(await seen("loopback, 10.0.0.0/8")).toEqual({
      client: "203.0.113.9",
      protocol: "https",
      host: "asks.example:8443",
    });
    expect(await seen("10.0.0.0/8")).toEqual({ client: "127.0.0.1", protocol: "http", host: "127.0.0.1:3000" });
  });

  it("falls back to the connection's own scheme and Host when a trusted proxy leaves them out", async () => {
    expect(await seen(true, { Host: "127.0.0.1:3000" })).toEqual({
      client: "127.0.0.1",
      protocol: "http",
      host: "127.0.0.1:3000",
    });
  });
});

describe("paths", () => {
  it("are the request target without its query", () => {
    expect(pathOf("/search?q=a%20b")).toBe("/search");
    expect(pathOf("/asks/1")).toBe("/asks/1");
  });

  it("are malformed when a percent-escape does not decode", () => {
    expect(isMalformedPath("/asks/%E0%A4%A")).toBe(true);
    expect(isMalformedPath("/%")).toBe(true);
    expect(isMalformedPath("/asks/%C3%A9t%C3%A9")).toBe(false);
    expect(isMalformedPath("/asks/1")).toBe(false);
  });
});
