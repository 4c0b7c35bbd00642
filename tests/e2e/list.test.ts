import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { browserForFile, expectAccessible, signIn } from "./browser";

const openPage = browserForFile();

// The first row on the page with a vote button its reader has not pressed, and the row's count.
async function unvotedRow(page: Page) {
  const id = await page
    .locator(".ask-row", { has: page.locator('button[aria-pressed="false"]') })
    .first()
    .getAttribute("id");
  // Found again by its id: once voted on, the row no longer matches the search above.
  const row = page.locator(`#${id}`);
  const count = async () => Number(await row.locator('.count [aria-hidden="true"]').textContent());
  return { row, id, count };
}

async function voteFromTheList(page: Page, list: string) {
  await signIn(page, "dana@contoso.example", "asklog-demo", list);
  await expectAccessible(page);
  const { row, id, count } = await unvotedRow(page);
  const button = row.locator('button[name="intent"]');
  expect(await button.getAttribute("aria-pressed")).toBe("false");
  const before = await count();

  await button.click();
  await expect.poll(() => button.getAttribute("aria-pressed")).toBe("true");
  await expect.poll(count).toBe(before + 1);
  // Back on the same list page, at the ask's row.
  await expect.poll(() => new URL(page.url()).search).toBe(new URL(list, "http://x").search);
  await expectAccessible(page);

  await button.click();
  await expect.poll(() => button.getAttribute("aria-pressed")).toBe("false");
  await expect.poll(count).toBe(before);
  return id;
}

describe("voting from the list", () => {
  it("with JavaScript: the count and the pressed state change at once, and the page stays", async () => {
    const { page, context } = await openPage();
    await voteFromTheList(page, "/?sort=newest");
    await context.close();
  });

  it("without JavaScript: the form comes back to the same list page, at the ask's row", async () => {
    const { page, context } = await openPage({ javaScriptEnabled: false });
    const id = await voteFromTheList(page, "/?sort=newest");
    expect(new URL(page.url()).hash).toBe(`#${id}`);
    await context.close();
  });

  it("sends a signed-out reader to sign in, then back to the list", async () => {
    const { page, context } = await openPage({ javaScriptEnabled: false });
    await page.goto("/?sort=top");
    await page
      .getByRole("link", { name: /^Vote for .*: sign in first$/ })
      .first()
      .click();
    await page.waitForURL(/\/signin\?redirectTo=%2F%3Fsort%3Dtop$/);
    await expectAccessible(page);
    await context.close();
  });
});

describe("the list's states", () => {
  it("sends a page past the end to the last page", async () => {
    const { page, context } = await openPage({ javaScriptEnabled: false });
    await page.goto("/?sort=newest&page=999");
    expect(new URL(page.url()).searchParams.get("page")).not.toBe("999");
    expect(await page.locator(".ask-row").count()).toBeGreaterThan(0);
    await expectAccessible(page);
    await context.close();
  });

  it("says honestly when no ask matches", async () => {
    const { page, context } = await openPage();
    await page.goto("/?q=zzyzxnothingmatches");
    expect(await page.getByRole("heading", { name: "No asks match" }).isVisible()).toBe(true);
    await expectAccessible(page);
    await context.close();
  });

  it("shows dates as <time> in the reader's language, and applies a filter on change", async () => {
    const { page, context } = await openPage();
    await page.goto("/?sort=newest");
    const time = page.locator(".ask-row time").first();
    expect(await time.getAttribute("datetime")).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(await time.getAttribute("title")).toMatch(/\d{4}/);
    await page.getByLabel("Sort by").selectOption("top");
    await page.waitForURL(/sort=top/);
    await expectAccessible(page);
    await context.close();
  });
});

describe("the organization filter", () => {
  it("without JavaScript: a name typed in any case finds the organization, and the chip takes it away", async () => {
    const { page, context } = await openPage({ javaScriptEnabled: false });
    await page.goto("/?sort=newest");
    await page.getByRole("combobox", { name: "Organization" }).fill("dell ");
    await page.getByRole("button", { name: "Apply" }).click();
    await page.waitForURL(/org=dell/);
    expect(await page.getByRole("combobox", { name: "Organization" }).inputValue()).toBe("Dell");
    const chip = page.getByRole("link", { name: "Remove filter: Filed by Dell" });
    expect(await chip.isVisible()).toBe(true);
    expect(await page.locator(".ask-row").count()).toBeGreaterThan(0);
    await expectAccessible(page);
    await chip.click();
    await page.waitForURL((url) => !url.searchParams.has("org"));
    expect(await page.getByRole("combobox", { name: "Organization" }).inputValue()).toBe("");
    await context.close();
  });

  it("keeps a name that finds nothing, says so next to the field, and lists no asks", async () => {
    const { page, context } = await openPage({ javaScriptEnabled: false });
    await page.goto("/?org=Nosuch+Partner");
    const field = page.getByRole("combobox", { name: "Organization" });
    expect(await field.inputValue()).toBe("Nosuch Partner");
    expect(await field.getAttribute("aria-invalid")).toBe("true");
    expect(await page.getByText("No organization is called “Nosuch Partner”.", { exact: false }).isVisible()).toBe(
      true,
    );
    expect(await page.locator(".ask-row").count()).toBe(0);
    await expectAccessible(page);
    await context.close();
  });

  it("with JavaScript: offers names while one is typed, and the page keeps slug links working", async () => {
    const { page, context } = await openPage();
    await page.goto("/");
    const field = page.getByRole("combobox", { name: "Organization" });
    await field.pressSequentially("north");
    const options = page.locator(`datalist#${await field.getAttribute("list")} option`);
    await expect
      .poll(() => options.evaluateAll((o) => o.map((e) => (e as HTMLOptionElement).value)))
      .toContain("Northwind Traders");
    await expectAccessible(page);
    await page.goto("/?org=northwind-traders");
    expect(await field.inputValue()).toBe("Northwind Traders");
    await context.close();
  });
});
