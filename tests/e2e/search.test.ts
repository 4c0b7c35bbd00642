import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectAccessible, launchBrowser, newPage } from "./browser";

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser.close();
});

describe("finding the history years later", () => {
  it("finds the demo CPOR ask from a phrase in its EPX status note", async () => {
    const { page, context } = await newPage(browser);
    await page.goto("/");
    await page.getByRole("search").first().getByLabel("Search").fill('"share with the OSU team"');
    await page.getByRole("button", { name: "Go" }).click();
    await page.waitForURL(/\/search\?q=/);
    const result = page.getByRole("link", { name: "A customer-facing page that explains CPOR and POE" });
    await expect.poll(() => result.isVisible()).toBe(true);
    expect(await page.getByText(/Status note dated 2021-05-11 · EPX/).isVisible()).toBe(true);
    expect(await page.locator(".snippet mark").first().textContent()).toMatch(/OSU/i);
    await expectAccessible(page);
    await context.close();
  });

  it("shows results as you type, and the same search works without JavaScript", async () => {
    const { page, context } = await newPage(browser);
    await page.goto("/search");
    await page.getByLabel("Search", { exact: true }).last().pressSequentially("aka.ms/about-cp", { delay: 20 });
    const live = page.getByRole("region", { name: /Top matches/ });
    await expect.poll(() => live.getByRole("link", { name: /explains CPOR/ }).isVisible()).toBe(true);
    await expectAccessible(page);
    await context.close();

    const noScript = await newPage(browser, { javaScriptEnabled: false });
    await noScript.page.goto("/search?q=aka.ms%2Fabout-cpor");
    expect(await noScript.page.getByRole("link", { name: /explains CPOR and POE/ }).isVisible()).toBe(true);
    expect(await noScript.page.locator(".snippet mark").first().textContent()).toMatch(/aka/i);
    // The link is written in markdown; the snippet shows it as text, its title then its URL.
    expect(await noScript.page.locator(".snippet").first().textContent()).not.toMatch(/\]\(|\*/);
    await expectAccessible(noScript.page);
    await noScript.context.close();
  });

  it("offers similar asks while a partner types a title", async () => {
    const { page, context } = await newPage(browser);
    await page.goto("/signin?redirectTo=%2Fasks%2Fnew");
    await page.getByLabel("Email").fill("dana@contoso.example");
    await page.getByLabel("Password").fill("asklog-demo");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(/\/asks\/new$/);
    await page.getByLabel("Title").pressSequentially("Remind customers to approve CPOR claims", { delay: 20 });
    const hints = page.getByRole("region", { name: "Similar asks already filed" });
    await expect
      .poll(() => hints.getByRole("link", { name: /CPOR claim is waiting for their approval/ }).isVisible())
      .toBe(true);
    // The completed CPOR page ask takes no votes, so it is not offered as a place to vote instead.
    expect(await hints.getByRole("link", { name: /explains CPOR and POE/ }).count()).toBe(0);
    await expectAccessible(page);
    await context.close();
  });
});
