import { describe, expect, it } from "vitest";
import { checkOrigin } from "~/services/origin.server";

const app = "https://asks.example.com";

describe("checkOrigin", () => {
  it("lets reads through whatever they carry", () => {
    for (const method of ["GET", "HEAD", "OPTIONS", "get"]) {
      expect(checkOrigin(method, { origin: "https://evil.example" }, app).ok).toBe(true);
    }
  });

  it("accepts a write from our own origin, by Origin or by Referer", () => {
    expect(checkOrigin("POST", { origin: app }, app).ok).toBe(true);
    expect(checkOrigin("POST", { referer: `${app}/asks/12-cpor?x=1` }, app).ok).toBe(true);
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
        expect(checkOrigin(method, headers, app).ok, `${method} ${JSON.stringify(headers)}`).toBe(false);
      }
    }
  });
});
