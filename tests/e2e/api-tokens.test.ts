import { describe, expect, it } from "vitest";
import { baseUrl, browserForFile, expectAccessible, signIn } from "./browser";
import { startAsklog } from "./server";

const openPage = browserForFile();

function callApi(
  path: string,
  init: { method?: string; token?: string; body?: unknown; headers?: Record<string, string> } = {},
) {
  return fetch(`${baseUrl()}/api/v1${path}`, {
    method: init.method ?? "GET",
    headers: {
      ...(init.token ? { Authorization: `Bearer ${init.token}` } : {}),
      ...(init.body === undefined ? {} : { "Content-Type": "application/json" }),
      ...init.headers,
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
}

describe("personal API tokens", () => {
  it("are made in the browser, file an ask the site then shows, and stop at once when revoked", async () => {
    const { page } = await openPage();
    await signIn(page, "dana@contoso.example", "asklog-demo");
    await page.goto("/account");
    await page.getByLabel("Token name").fill("E2E script");
    await page.getByRole("checkbox", { name: /Write/ }).check();
    await page.getByRole("radio", { name: "30 days" }).check();
    await page.getByRole("button", { name: "Create token" }).click();
    const shown = page.getByTestId("new-token");
    await expect.poll(() => shown.isVisible()).toBe(true);
    const token = (await shown.textContent()) ?? "";
    expect(token).toMatch(/^asklog_pat_/);
    await expectAccessible(page);
    // Shown once: the next visit to the page no longer has it.
    await page.reload();
    await expect.poll(() => page.getByRole("table", { name: "Your API tokens" }).isVisible()).toBe(true);
    expect(await page.getByTestId("new-token").count()).toBe(0);

    const [category] = (await (await callApi("/categories")).json()) as { id: number }[];
    // Sent as a script on another site would: a bearer token skips the origin check.
    const filed = await callApi("/asks", {
      method: "POST",
      token,
      headers: { Origin: "https://tools.example" },
      body: { title: "Filed from a script with a token", body: "Through the **API**.", categoryId: category?.id },
    });
    expect(filed.status).toBe(201);
    const ask = (await filed.json()) as { url: string; number: number };
    await page.goto(new URL(ask.url).pathname);
    await expect
      .poll(() => page.getByRole("heading", { level: 1, name: "Filed from a script with a token" }).isVisible())
      .toBe(true);

    await page.goto("/account#api-tokens");
    await page.getByRole("button", { name: "Revoke E2E script" }).click();
    await expect.poll(() => page.getByRole("status").filter({ hasText: "Token revoked" }).isVisible()).toBe(true);
    const refused = await callApi("/me", { token });
    expect(refused.status).toBe(401);
    expect(refused.headers.get("content-type")).toBe("application/problem+json");
    expect(((await refused.json()) as { detail: string }).detail).toMatch(/revoked/);
  });

  it("refuses a cross-site write without a token, and an oversized body, as problem details", async () => {
    const crossSite = await callApi("/asks", {
      method: "POST",
      headers: { Origin: "https://evil.example" },
      body: { title: "A forged ask from another site", body: "x", categoryId: 1 },
    });
    expect(crossSite.status).toBe(403);
    expect(crossSite.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    const huge = await callApi("/asks", {
      method: "POST",
      token: "asklog_pat_unknown",
      body: { title: "x".repeat(2_000_000) },
    });
    expect(huge.status).toBe(413);
    expect(huge.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  });
});

describe("CORS on the API", () => {
  it("answers pages on the origins API_CORS_ORIGINS lists, and no others, without credentials", async () => {
    const server = await startAsklog({ API_CORS_ORIGINS: "https://tools.example.com" });
    try {
      const preflight = (origin: string) =>
        fetch(`${server.baseUrl}/api/v1/asks`, {
          method: "OPTIONS",
          headers: {
            Origin: origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, content-type",
          },
        });
      const allowed = await preflight("https://tools.example.com");
      expect(allowed.status).toBe(204);
      expect(allowed.headers.get("access-control-allow-origin")).toBe("https://tools.example.com");
      expect(allowed.headers.get("access-control-allow-headers")).toMatch(/Authorization/);
      expect(allowed.headers.get("access-control-allow-credentials")).toBeNull();
      const other = await preflight("https://evil.example");
      expect(other.headers.get("access-control-allow-origin")).toBeNull();
      const read = await fetch(`${server.baseUrl}/api/v1/statuses`, {
        headers: { Origin: "https://tools.example.com" },
      });
      expect(read.headers.get("access-control-allow-origin")).toBe("https://tools.example.com");
      expect(read.headers.get("access-control-expose-headers")).toMatch(/RateLimit-Remaining/);
    } finally {
      await server.stop();
    }
  });

  it("stays off when API_CORS_ORIGINS is unset", async () => {
    const read = await fetch(`${baseUrl()}/api/v1/statuses`, { headers: { Origin: "https://tools.example.com" } });
    expect(read.status).toBe(200);
    expect(read.headers.get("access-control-allow-origin")).toBeNull();
  });
});
