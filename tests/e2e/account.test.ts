import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectAccessible, launchBrowser, newPage } from "./browser";

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser.close();
});

async function signIn(page: Page) {
  await page.goto("/signin");
  await page.getByLabel("Email").fill("tariq@asklog.example");
  await page.getByLabel("Password").fill("asklog-demo");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect.poll(() => page.getByRole("button", { name: "Sign out" }).isVisible()).toBe(true);
}

describe("the account page", () => {
  it.each([true, false])(
    "lists the devices signed in and signs the others out (JavaScript %s)",
    async (javaScriptEnabled) => {
      const laptop = await newPage(browser, { javaScriptEnabled });
      const phone = await newPage(browser);
      try {
        await signIn(phone.page);
        await signIn(laptop.page);
        await laptop.page.getByRole("banner").getByRole("link", { name: /Tariq/ }).click();
        await expect.poll(() => laptop.page.title()).toBe("Your account · Asklog");
        const rows = laptop.page.getByRole("table", { name: "Where you are signed in" }).getByRole("row");
        expect(await rows.count()).toBeGreaterThanOrEqual(3); // the header and at least these two devices
        await expect.poll(() => rows.filter({ hasText: "(this device)" }).count()).toBe(1);
        await expectAccessible(laptop.page);

        await laptop.page.getByRole("button", { name: "Sign out all other devices" }).click();
        await expect.poll(() => rows.count()).toBe(2);
        // The confirmation is announced (role=status), with or without JavaScript.
        await expect
          .poll(() => laptop.page.getByRole("status").textContent())
          .toMatch(/^Signed out of \d+ other devices?\.$/);
        await phone.page.reload();
        await expect
          .poll(() => phone.page.getByRole("banner").getByRole("link", { name: "Sign in" }).isVisible())
          .toBe(true);
        await laptop.page.reload();
        expect(await laptop.page.getByRole("banner").getByRole("button", { name: "Sign out" }).isVisible()).toBe(true);
      } finally {
        await laptop.context.close();
        await phone.context.close();
      }
    },
  );
});
