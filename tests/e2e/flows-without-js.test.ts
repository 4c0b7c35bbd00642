import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createAsk } from "~/models/ask.server";
import { listCategories } from "~/models/category.server";
import { createUser } from "~/models/user.server";
import { askPath } from "~/slug";
import { closeDb } from "../../db/client";
import { at } from "../../scripts/lists";
import { baseUrl, browserForFile, expectAccessible, signIn } from "./browser";

// The flows that list.test.ts, ask-page.test.ts and look.test.ts leave out, each with
// JavaScript and without, in the light and the dark theme: voting from a later page of
// the list and from a filtered one, the theme remembered across pages with JavaScript,
// a merge into a closed ask carried through once confirmed, and the status update's
// link rows added one at a time.

const openPage = browserForFile();
const modes = [
  ["with JavaScript", true],
  ["without JavaScript", false],
] as const;
const themes = ["light", "dark"] as const;

// One fresh ask per mode and theme, merged by the test: the demo asks stay as they are.
const mergeable = new Map<string, string>();
const mergeKey = (javaScriptEnabled: boolean, theme: string) => `${javaScriptEnabled}-${theme}`;
// An ask whose status update form is only ever refused, so it stays as it was.
let updatable = "";

beforeAll(async () => {
  process.env.DATABASE_PATH = inject("databasePath");
  const stamp = Date.now();
  const author = await createUser({
    email: `merge-author-${stamp}@contoso.example`,
    displayName: "Merge Author",
    organization: "Contoso",
    password: "merge-author-password",
  });
  if (!author.ok) throw new Error(`author refused: ${author.reason}`);
  for (const [, javaScriptEnabled] of modes) {
    for (const theme of themes) {
      const ask = createAsk({
        title: `A page for customers about partner claims ${theme} ${javaScriptEnabled ? "js" : "nojs"} ${stamp}`,
        body: "The same as the CPOR page, asked again.",
        categoryId: at(listCategories(), 0).id,
        authorId: author.user.id,
      });
      if (!ask.ok) throw new Error(`ask refused: ${ask.reason}`);
      mergeable.set(mergeKey(javaScriptEnabled, theme), askPath(ask));
    }
  }
  const ask = createAsk({
    title: `Status updates with several links ${stamp}`,
    body: "Left open.",
    categoryId: at(listCategories(), 0).id,
    authorId: author.user.id,
  });
  if (!ask.ok) throw new Error(`ask refused: ${ask.reason}`);
  updatable = askPath(ask);
}, 60_000);
afterAll(() => closeDb());

// A page whose server renders the chosen theme: the switch's own cookie, as a reader who picked it has.
async function openThemed(javaScriptEnabled: boolean, theme: (typeof themes)[number]) {
  const opened = await openPage({ javaScriptEnabled });
  await opened.page.emulateMedia({ colorScheme: theme });
  if (theme === "dark") await rememberDark(opened.context);
  return opened;
}

async function rememberDark(context: BrowserContext) {
  // Remix's cookie encoding of the JSON string "dark".
  const value = Buffer.from(JSON.stringify("dark")).toString("base64");
  await context.addCookies([{ name: "asklog_theme", value, url: baseUrl() }]);
}

async function expectTheme(page: Page, theme: (typeof themes)[number]) {
  const attribute = await page.locator("html").getAttribute("data-theme");
  expect(attribute ?? "light", page.url()).toBe(theme);
}

// The first row on the page whose vote button its reader has not pressed.
async function unvotedRow(page: Page) {
  const id = await page
    .locator(".ask-row", { has: page.locator('button[aria-pressed="false"]') })
    .first()
    .getAttribute("id");
  expect(id).toBeTruthy();
  const row = page.locator(`#${id}`);
  const count = async () => Number(await row.locator('.count [aria-hidden="true"]').textContent());
  return { row, id, count };
}

describe.each(modes)("%s", (_, javaScriptEnabled) => {
  describe.each(themes)("in the %s theme", (theme) => {
    // A later page of the list, and a filtered one: the vote comes back to exactly that list.
    for (const list of ["/?sort=newest&page=2", "/?status=open&sort=newest"]) {
      it(`votes from ${list}, shows the vote, and comes back to the same list`, async () => {
        const { page, context } = await openThemed(javaScriptEnabled, theme);
        await signIn(page, "dana@contoso.example", "asklog-demo", list);
        await expectTheme(page, theme);
        await expectAccessible(page);
        const { row, id, count } = await unvotedRow(page);
        const button = row.locator('button[name="intent"]');
        const before = await count();

        await button.click();
        await expect.poll(() => button.getAttribute("aria-pressed")).toBe("true");
        await expect.poll(count).toBe(before + 1);
        const back = new URL(page.url());
        expect(`${back.pathname}${back.search}`).toBe(list);
        if (!javaScriptEnabled) expect(back.hash).toBe(`#${id}`);
        await expectAccessible(page);

        await button.click();
        await expect.poll(() => button.getAttribute("aria-pressed")).toBe("false");
        await expect.poll(count).toBe(before);
        expect(new URL(page.url()).search).toBe(new URL(list, baseUrl()).search);
        await context.close();
      });
    }

    it("merges into a closed ask found by its title, once the merge is confirmed", async () => {
      const { page, context } = await openThemed(javaScriptEnabled, theme);
      const admin = inject("admin");
      const path = mergeable.get(mergeKey(javaScriptEnabled, theme)) ?? "";
      await signIn(page, admin.email, admin.password, path);
      await expectTheme(page, theme);
      await page.getByText("Merge", { exact: true }).click();
      await page.getByLabel("Find the ask to merge into").fill("customer facing page");
      await page.getByRole("button", { name: "Find asks" }).click();
      // The closed changelog ask: merging into the CPOR ask would change counts other tests read.
      const changelog = /^#\d+ A changelog page for Partner Center/;
      const target = page.getByRole("radio", { name: changelog });
      await expect.poll(() => target.isVisible()).toBe(true);
      await expectAccessible(page);
      await target.check();
      await page.getByRole("button", { name: "Merge as duplicate" }).click();
      const confirm = page.getByRole("checkbox", { name: "Merge into a closed ask" });
      await expect.poll(() => confirm.isVisible()).toBe(true);
      await expectAccessible(page);

      await confirm.check();
      expect(await page.getByRole("radio", { name: changelog }).isChecked()).toBe(true);
      await page.getByRole("button", { name: "Merge as duplicate" }).click();
      const merged = page.getByText(/^This ask was merged into/);
      await expect.poll(() => merged.isVisible()).toBe(true);
      expect(await merged.getByRole("link").getAttribute("href")).toMatch(/^\/asks\/\d+-a-changelog-page/);
      expect(new URL(page.url()).pathname).toBe(path);
      await expectAccessible(page);
      await context.close();
    });

    it("shows one link row in a status update, adds more on demand, and keeps a refused row open", async () => {
      const { page, context } = await openThemed(javaScriptEnabled, theme);
      const admin = inject("admin");
      await signIn(page, admin.email, admin.password, updatable);
      await page.getByText("Post a status update").click();
      expect(await page.getByLabel(/^Link \d URL$/).count()).toBe(javaScriptEnabled ? 1 : 5);
      expect(await page.getByLabel("Link 2 URL").isVisible()).toBe(false);
      if (javaScriptEnabled) {
        await page.getByRole("button", { name: "Add another link" }).click();
        await expect
          .poll(() => page.getByLabel("Link 2 URL").evaluate((el) => el === document.activeElement))
          .toBe(true);
      } else {
        await page.getByText("More links").click();
      }
      await expectAccessible(page);
      await page.getByLabel("Link 2 URL").fill("https://learn.example.com/cpor");
      await page.getByRole("button", { name: "Record status update" }).click();

      // Refused (no status, no note, no title): the second row is in view, with its value and message.
      await expect.poll(() => page.getByText("Give the link a title.").isVisible()).toBe(true);
      const url = page.getByLabel("Link 2 URL");
      expect(await url.isVisible()).toBe(true);
      expect(await url.inputValue()).toBe("https://learn.example.com/cpor");
      expect(await page.getByLabel("Link 3 URL").isVisible()).toBe(false);
      await expectAccessible(page);
      await context.close();
    });
  });
});

describe("the theme switch with JavaScript", () => {
  it("is remembered on the next page, reached by a link and by a fresh load", async () => {
    const { page, context } = await openPage();
    await page.emulateMedia({ colorScheme: "light" });
    await page.goto("/roadmap");
    await page.waitForFunction(() => (window as { __remixContext?: unknown }).__remixContext !== undefined);
    await page.getByRole("button", { name: "Dark" }).click();
    await expect.poll(() => page.locator("html").getAttribute("data-theme")).toBe("dark");
    await expect.poll(async () => (await context.cookies()).map((c) => c.name)).toContain("asklog_theme");
    await expectAccessible(page);

    // A client-side navigation, then a new document.
    await page.getByRole("link", { name: "Styleguide" }).click();
    await page.waitForURL(/\/styleguide$/);
    await expectTheme(page, "dark");
    await expectAccessible(page);
    await page.goto("/search?q=CPOR");
    await expectTheme(page, "dark");
    await expect.poll(() => page.getByRole("button", { name: "Dark" }).getAttribute("aria-pressed")).toBe("true");
    await expectAccessible(page);
    await context.close();
  });
});
