import { describe, expect, it } from "vitest";
import { isSameOriginRequest } from "../../server/origin";

const app = "https://asks.example.com";

describe("isSameOriginRequest", () => {
  it("lets reads through whatever they carry", () => {
    for (const method of ["GET", "HEAD", "OPTIONS", "get"]) {
      expect(isSameOriginRequest(method, { origin: "https://evil.example" }, app)).toBe(true);
    }
  });

  it("accepts a write from our own origin, by Origin or by Referer", () => {
    expect(isSameOriginRequest("POST", { origin: app }, app)).toBe(true);
    expect(isSameOriginRequest("POST", { referer: `${app}/asks/12-cpor?x=1` }, app)).toBe(true);
  });

  it("refuses writes from elsewhere or from nowhere", () => {
    const refused = [
      { origin: "https://evil.example" },
      { origin: "null" },
      { origin: "http://asks.example.com" }, // the same host over plain http is another origin
      { origin: "https://asks.example.com.evil.example" },
      { origin: "https://evil.example", referer: `${app}/` }, // a present Origin decides
      { referer: "https://evil.example/asks.example.com" },
      { referer: "not a url" },
      {},
    ];
    for (const headers of refused) {
      for (const method of ["POST", "PUT", "PATCH", "DELETE"]) {
        expect(isSameOriginRequest(method, headers, app), `${method} ${JSON.stringify(headers)}`).toBe(false);
      }
    }
  });
});
