import { describe, expect, it } from "vitest";
import { isBearerApiCall, isSameOriginRequest } from "../../server/origin";

const app = "https://asks.example.com";

describe("the origin check and the JSON API", () => {
  it("lets a write to /api/v1 with a bearer token through from anywhere", () => {
    const headers = { origin: "https://tools.example", authorization: "Bearer asklog_pat_abc" };
    for (const path of ["/api/v1/asks", "/api/v1/asks/12/vote", "/api/v1"]) {
      expect(isSameOriginRequest("POST", headers, app, path)).toBe(true);
    }
  });

  it("still checks a write without a token, a token outside /api/v1, and other schemes", () => {
    const evil = { origin: "https://evil.example" };
    expect(isSameOriginRequest("POST", evil, app, "/api/v1/asks")).toBe(false);
    expect(isSameOriginRequest("POST", { ...evil, authorization: "Bearer x" }, app, "/asks/new")).toBe(false);
    expect(isSameOriginRequest("POST", { ...evil, authorization: "Bearer x" }, app, "/api/v10/asks")).toBe(false);
    expect(isSameOriginRequest("POST", { ...evil, authorization: "Basic dTpw" }, app, "/api/v1/asks")).toBe(false);
    expect(isSameOriginRequest("POST", { ...evil, authorization: "Bearer " }, app, "/api/v1/asks")).toBe(false);
    expect(isBearerApiCall("/api/v1x", "Bearer abc")).toBe(false);
  });
});
