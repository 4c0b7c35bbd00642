import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { baseUrl, launchBrowser, newPage } from "./browser";
import { signIn, url } from "./http";

// Pages with status badges (the demo data fills each), the roadmap's columns and the list headings.
const withBadges = ["/", "/?q=cpor", "/roadmap", "/search?q=cpor", "/asks/1", "/admin/statuses"];
const pages = [...withBadges, "/triage", "/my-asks"];

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser.close();
});

// Every style the policy refused, as the browser reports it to the page. Collected
// from before anything else runs, and before axe-core adds styles of its own.
async function watchViolations(page: Page): Promise<() => Promise<string[]>> {
  await page.addInitScript(() => {
    const seen: string[] = [];
    Object.assign(window, { __violations: seen });
    document.addEventListener("securitypolicyviolation", (e) => {
      if (e.effectiveDirective.startsWith("style-src")) {
        seen.push(`${e.effectiveDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
      }
    });
  });
  return () => page.evaluate(() => (window as unknown as { __violations: string[] }).__violations);
}

// The demo admin's session, signed in over HTTP and handed to the browser.
async function signInAsAdmin(page: Page) {
  const cookie = await signIn("admin@asklog.example", "asklog-demo");
  await page.context().addCookies(
    cookie.split("; ").map((pair) => {
      const [name = "", ...value] = pair.split("=");
      return { name, value: value.join("="), url: baseUrl() };
    }),
  );
}

// "rgb(5, 80, 174)" for "#0550ae".
function rgb(hex: string): string {
  const [r, g, b] = [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16));
  return `rgb(${r}, ${g}, ${b})`;
}

describe("styles under the Content-Security-Policy", () => {
  it("allows no inline styles on any page", async () => {
    for (const path of pages) {
      const response = await fetch(url(path));
      const policy = response.headers.get("Content-Security-Policy") ?? "";
      expect(policy, path).toContain("style-src 'self'");
      expect(policy, path).not.toMatch(/style-src[^;]*'unsafe-inline'/);
      expect(policy, path).not.toContain("style-src-attr");
      expect(policy, path).not.toContain("style-src-elem");
    }
  });

  it("shows every page and each status in its colour with nothing refused", async () => {
    const { page, context } = await newPage(browser);
    const violations = await watchViolations(page);
    await signInAsAdmin(page);
    const css = await (await fetch(url("/statuses.css"))).text();
    for (const path of pages) {
      await page.goto(path);
      await page.waitForLoadState("networkidle");
      expect(await violations(), path).toEqual([]);
      if (!withBadges.includes(path)) continue;
      const badge = page.locator(".badge[data-status]").first();
      const slug = (await badge.getAttribute("data-status")) ?? "";
      const colour = new RegExp(`data-status="${slug}"\\] \\{ --badge: (#[0-9a-f]{6}); \\}`).exec(css)?.[1];
      expect(colour, `${path}: a rule for ${slug}`).toBeDefined();
      expect(await badge.evaluate((el) => getComputedStyle(el).backgroundColor), path).toBe(rgb(colour ?? ""));
    }
    await context.close();
  });

  it("lays out the roadmap's columns side by side on a wide screen", async () => {
    const { page, context } = await newPage(browser);
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto("/roadmap");
    const tops = await page
      .locator(".roadmap > section")
      .evaluateAll((sections) => sections.map((s) => Math.round(s.getBoundingClientRect().top)));
    expect(tops).toHaveLength(3);
    expect(new Set(tops).size).toBe(1);
    await context.close();
  });

  it("answers /statuses.css with 304 while no colour changed", async () => {
    const first = await fetch(url("/statuses.css"));
    const etag = first.headers.get("ETag") ?? "";
    expect(etag).toMatch(/^"[\w-]{22}"$/);
    const again = await fetch(url("/statuses.css"), { headers: { "If-None-Match": etag } });
    expect(again.status).toBe(304);
  });
});
