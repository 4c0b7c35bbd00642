import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { baseUrl, expectAccessible, launchBrowser, newPage, signIn } from "./browser";

// The look: both themes pass axe, the theme switch works without JavaScript and is
// remembered, the header is compact on a phone, and no page scrolls sideways at 320px.

let browser: Browser;
let cporPath: string;
// A commenter's page and their organization's, as the CPOR ask links them.
let personPath: string;
let organizationPath: string;

beforeAll(async () => {
  browser = await launchBrowser();
  const html = await (await fetch(`${baseUrl()}/search?q=${encodeURIComponent('"CPOR and POE"')}`)).text();
  cporPath = /href="(\/asks\/\d+-a-customer-facing-page[^"]*)"/.exec(html)?.[1] ?? "";
  expect(cporPath).not.toBe("");
  const cpor = await (await fetch(`${baseUrl()}${cporPath}`)).text();
  personPath = /href="(\/people\/\d+-raj-mehta)"/.exec(cpor)?.[1] ?? "";
  organizationPath = /href="(\/orgs\/[^"]+)">Dell</.exec(cpor)?.[1] ?? "";
  expect(personPath).not.toBe("");
  expect(organizationPath).not.toBe("");
});
afterAll(async () => {
  await browser.close();
});

// A fresh page on a device that asks for a color scheme, closed whatever the test does.
async function onDevice(
  device: { scheme: "light" | "dark"; javaScriptEnabled?: boolean },
  run: (opened: { page: Page; context: BrowserContext }) => Promise<void>,
) {
  const { page, context } = await newPage(browser, { javaScriptEnabled: device.javaScriptEnabled });
  await page.emulateMedia({ colorScheme: device.scheme });
  try {
    await run({ page, context });
  } finally {
    await context.close();
  }
}

const pageBackground = (page: Page) => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
const themeAttribute = (page: Page) => page.locator("html").getAttribute("data-theme");
// The page shows a new theme at once, before the answer that sets the cookie: wait for that answer.
const settled = (page: Page) =>
  page.waitForFunction(() => {
    const router = (window as { __remixRouter?: { state: { navigation: { state: string } } } }).__remixRouter;
    return router?.state.navigation.state === "idle";
  });
const light = "rgb(255, 255, 255)";
const dark = "rgb(13, 17, 23)";

describe("both themes", () => {
  const paths = () => [
    "/styleguide",
    "/",
    cporPath,
    personPath,
    organizationPath,
    "/search?q=partner+of+record",
    "/signin",
    "/no-such-page",
  ];

  for (const scheme of ["light", "dark"] as const) {
    it(`pass axe when the device asks for ${scheme}`, async () => {
      await onDevice({ scheme }, async ({ page }) => {
        for (const path of paths()) {
          await page.goto(path);
          expect(await pageBackground(page), path).toBe(scheme === "dark" ? dark : light);
          await expectAccessible(page);
        }
      });
    });
  }

  it("pass axe for a signed-in team member who chose dark on a light device", async () => {
    await onDevice({ scheme: "light" }, async ({ page, context }) => {
      await signIn(page, "tariq@asklog.example", "asklog-demo");
      await page.getByRole("button", { name: "Dark" }).click();
      await expect.poll(() => themeAttribute(page)).toBe("dark");
      await settled(page);
      expect((await context.cookies()).map((c) => c.name)).toContain("asklog_theme");
      for (const path of [cporPath, "/triage", "/my-asks", "/account"]) {
        await page.goto(path);
        expect(await pageBackground(page), path).toBe(dark);
        await expectAccessible(page);
      }
    });
  });
});

describe("the theme switch", () => {
  it("works without JavaScript, returns to the same page and is remembered on the next", async () => {
    await onDevice({ scheme: "light", javaScriptEnabled: false }, async ({ page }) => {
      await page.goto("/roadmap?days=30");
      expect(await themeAttribute(page)).toBeNull();
      expect(await page.getByRole("button", { name: "System" }).getAttribute("aria-pressed")).toBe("true");

      await page.getByRole("button", { name: "Dark" }).click();
      await page.waitForURL(/\/roadmap\?days=30$/);
      expect(await themeAttribute(page)).toBe("dark");
      expect(await pageBackground(page)).toBe(dark);
      expect(await page.getByRole("button", { name: "Dark" }).getAttribute("aria-pressed")).toBe("true");

      await page.goto("/search?q=CPOR");
      expect(await themeAttribute(page)).toBe("dark");
      expect(await pageBackground(page)).toBe(dark);
      await expectAccessible(page);

      // Back to following the device, which says light.
      await page.getByRole("button", { name: "System" }).click();
      await page.waitForURL(/\/search\?q=CPOR$/);
      expect(await themeAttribute(page)).toBeNull();
      expect(await pageBackground(page)).toBe(light);
    });
  });

  it("switches at once with JavaScript, and a reload keeps the choice", async () => {
    await onDevice({ scheme: "dark" }, async ({ page }) => {
      await page.goto(cporPath);
      await page.waitForFunction(() => (window as { __remixContext?: unknown }).__remixContext !== undefined);
      expect(await pageBackground(page)).toBe(dark);
      await page.getByRole("button", { name: "Light" }).click();
      await expect.poll(() => pageBackground(page)).toBe(light);
      await settled(page);
      expect(page.url()).toBe(`${baseUrl()}${cporPath}`);
      await page.reload();
      expect(await themeAttribute(page)).toBe("light");
      expect(await pageBackground(page)).toBe(light);
    });
  });

  it("sends the reader home rather than to another site", async () => {
    const response = await fetch(`${baseUrl()}/theme`, {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: baseUrl() },
      body: new URLSearchParams({ theme: "dark", redirectTo: "//evil.example/" }).toString(),
    });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/");
    expect(response.headers.get("set-cookie")).toMatch(/^asklog_theme=.*Max-Age=31536000/);
  });
});

describe("on a phone", () => {
  it("the signed-in header is one short row whose menu opens without JavaScript", async () => {
    const { page, context } = await newPage(browser, { javaScriptEnabled: false });
    try {
      await page.setViewportSize({ width: 390, height: 844 });
      await page.goto("/signin");
      await page.getByLabel("Email").fill("tariq@asklog.example");
      await page.getByLabel("Password").fill("asklog-demo");
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.waitForURL(`${baseUrl()}/`);
      const header = page.getByRole("banner");
      expect((await header.boundingBox())?.height).toBeLessThan(72);
      expect(await header.getByRole("link", { name: "Triage" }).isVisible()).toBe(false);

      await header.locator("summary", { hasText: "Menu" }).click();
      await header.getByRole("link", { name: "Triage" }).click();
      await page.waitForURL(`${baseUrl()}/triage`);
      await header.locator("summary", { hasText: "Menu" }).click();
      expect(await header.getByRole("button", { name: "Sign out" }).isVisible()).toBe(true);
      await expectAccessible(page);
    } finally {
      await context.close();
    }
  });

  it('keeps each "·" on the line of the item after it at 320px', async () => {
    const { page, context } = await newPage(browser);
    try {
      await page.setViewportSize({ width: 320, height: 640 });
      const alone: string[] = [];
      for (const path of ["/", cporPath, "/roadmap?days=365"]) {
        await page.goto(path);
        // Every drawn "·" in the page's text, and whether the next character drawn after it is on the same line.
        const found = await page.evaluate(() => {
          const main = document.querySelector("main");
          if (!main) return ["no main"];
          const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
          const chars: { text: string; top: number }[] = [];
          for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const text = node.textContent ?? "";
            for (let i = 0; i < text.length; i++) {
              if (/\s/.test(text.charAt(i))) continue;
              const range = document.createRange();
              range.setStart(node, i);
              range.setEnd(node, i + 1);
              const rect = range.getClientRects()[0];
              if (rect && rect.width > 0) chars.push({ text: text.charAt(i), top: rect.top });
            }
          }
          return chars.flatMap((c, i) => {
            const next = chars[i + 1];
            return c.text === "·" && next && Math.abs(next.top - c.top) > 4 ? [`· before ${next.text}`] : [];
          });
        });
        alone.push(...found.map((f) => `${path}: ${f}`));
      }
      expect(alone).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("no page is wider than a 320px screen", async () => {
    const admin = inject("admin");
    const { page, context } = await newPage(browser);
    try {
      await signIn(page, admin.email, admin.password);
      await page.setViewportSize({ width: 320, height: 640 });
      const pages = [
        "/",
        cporPath,
        personPath,
        organizationPath,
        "/search?q=partner+of+record",
        "/roadmap",
        "/styleguide",
        "/asks/new",
        "/triage",
        "/account",
        "/notifications",
        "/admin",
        "/admin/users",
        "/admin/teams",
        "/admin/categories",
        "/admin/statuses",
        "/admin/orgs",
        "/admin/audit",
        "/admin/mail",
        "/admin/import",
        // The run that loaded the demo data.
        "/admin/import/1",
        "/admin/export",
      ];
      const wide: string[] = [];
      for (const path of pages) {
        await page.goto(path);
        const width = await page.evaluate(() => document.scrollingElement?.scrollWidth ?? Number.POSITIVE_INFINITY);
        if (width > 320) wide.push(`${path}: ${width}px`);
      }
      expect(wide).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

describe("the roadmap's filters", () => {
  for (const javaScriptEnabled of [true, false]) {
    it(`apply ${javaScriptEnabled ? "on change with JavaScript" : "with the button without JavaScript"}`, async () => {
      await onDevice({ scheme: "light", javaScriptEnabled }, async ({ page }) => {
        await page.goto("/roadmap");
        if (javaScriptEnabled) {
          await page.waitForFunction(() => (window as { __remixRouter?: unknown }).__remixRouter !== undefined);
        }
        await page.getByLabel("Completed within").selectOption("30");
        if (!javaScriptEnabled) await page.getByRole("button", { name: "Apply" }).click();
        await page.waitForURL(/\/roadmap\?.*days=30/);
        await expect.poll(() => page.getByText(/and completed in the last 30 days/).isVisible()).toBe(true);
      });
    });
  }
});
