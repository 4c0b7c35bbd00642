import { beforeAll, describe, expect, it } from "vitest";
import { baseUrl, browserForFile, expectAccessible, signIn } from "./browser";

// A visitor follows a commenter's name from the CPOR ask to their page, and on to their
// organization's page, with JavaScript and without; every page passes axe.

const openPage = browserForFile();
let cporPath = "";

beforeAll(async () => {
  // Found by its title: the demo asks' numbers depend on the order they were filed in.
  const html = await (await fetch(`${baseUrl()}/search?q=${encodeURIComponent('"CPOR and POE"')}`)).text();
  cporPath = /href="(\/asks\/\d+-a-customer-facing-page[^"]*)"/.exec(html)?.[1] ?? "";
  expect(cporPath).not.toBe("");
});

describe.each([
  ["with JavaScript", true],
  ["without JavaScript", false],
])("a visitor %s", (_, javaScriptEnabled) => {
  it("goes from a comment's author to their page, their comment and their organization's asks", async () => {
    const { page, context } = await openPage({ javaScriptEnabled });
    await page.goto(cporPath);
    const comment = page.locator("#comments li").filter({ hasText: "partner advisory call" });
    expect(await comment.locator(".meta-line").textContent()).toContain("Raj Mehta (Dell)");
    await comment.getByRole("link", { name: "Raj Mehta" }).click();

    await page.waitForURL(/\/people\/\d+-raj-mehta$/);
    // With JavaScript the address changes before the new page renders: wait for its heading.
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Raj Mehta");
    await expectAccessible(page);

    await page.getByRole("link", { name: /^Comments \(\d+\)$/ }).click();
    await page.waitForURL(/\?show=comments$/);
    const onCpor = page.locator("ol.comments li").filter({ hasText: "partner advisory call" });
    // Plain text, as the comment reads: no markdown marks.
    expect(await onCpor.textContent()).toContain("back in January");
    await expectAccessible(page);
    await onCpor.getByRole("link", { name: "A customer-facing page that explains CPOR and POE" }).click();
    await page.waitForURL((url) => url.pathname === cporPath && /^#comment-\d+$/.test(url.hash));
    const anchored = page.locator(new URL(page.url()).hash);
    expect(await anchored.textContent()).toContain("partner advisory call");

    await page.goBack();
    await page.waitForURL(/\/people\/\d+-raj-mehta\?show=comments$/);
    await page.getByRole("definition").getByRole("link", { name: "Dell" }).click();
    await page.waitForURL(/\/orgs\/[a-z0-9-]+$/);
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Dell");
    const orgPath = new URL(page.url()).pathname;
    // Votes by organization stay hidden from visitors while the setting is off.
    const tabs = page.getByRole("navigation", { name: "Asks Dell's members took part in" });
    expect(await tabs.getByRole("link").allTextContents()).toEqual([
      expect.stringMatching(/^Filed \(\d+\)$/),
      expect.stringMatching(/^Commented on \(\d+\)$/),
    ]);
    await expectAccessible(page);

    await tabs.getByRole("link", { name: /^Commented on/ }).click();
    await page.waitForURL(`${orgPath}?show=commented`);
    const cporRow = page.locator(".ask-list li").filter({ hasText: "A customer-facing page that explains CPOR" });
    await expect.poll(() => cporRow.count()).toBe(1);

    // The home list's sort applies on change with JavaScript, and with the Apply button without it.
    await page.getByLabel("Sort by").selectOption("newest");
    if (!javaScriptEnabled) await page.getByRole("button", { name: "Apply" }).click();
    await page.waitForURL((url) => url.searchParams.get("sort") === "newest");
    expect(new URL(page.url()).searchParams.get("show")).toBe("commented");
    await expect.poll(() => cporRow.count()).toBe(1);
    await expectAccessible(page);
    await context.close();
  });
});

describe.each([
  ["with JavaScript", true],
  ["without JavaScript", false],
])("a team member %s", (_, javaScriptEnabled) => {
  it("sees which organizations voted on the CPOR ask, where a visitor sees only how many", async () => {
    const { page, context } = await openPage({ javaScriptEnabled });
    await page.goto(cporPath);
    const count = page.getByText(/^\d+ votes? from \d+ organizations?$/);
    expect(await count.count()).toBe(1);
    expect(await page.getByText("Votes by organization").count()).toBe(0);

    await signIn(page, "tariq@asklog.example", "asklog-demo", cporPath);
    await page.getByText("Votes by organization", { exact: true }).first().click();
    const table = page.getByRole("table", { name: "Votes by organization" });
    await expect.poll(() => table.getByRole("row").count()).toBeGreaterThan(1);
    expect(await table.getByRole("link").first().getAttribute("href")).toMatch(/^\/orgs\/[a-z0-9-]+$/);
    await expectAccessible(page);
    await context.close();
  });
});
