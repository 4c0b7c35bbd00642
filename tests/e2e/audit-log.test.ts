import Database from "better-sqlite3";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { expectAccessible, launchBrowser, newPage } from "./browser";
import { signIn } from "./http";

let browser: Browser;
const action = `surrogate${Date.now()}`;

beforeAll(async () => {
  browser = await launchBrowser();
  // An entry as older versions stored it: JSON.stringify keeps a lone UTF-16 surrogate as
  // an escape, which the server then rendered as U+FFFD and the browser as the surrogate.
  const database = new Database(inject("databasePath"));
  try {
    const adminId = database.prepare("SELECT id FROM users WHERE email = 'admin@asklog.example'").pluck().get();
    database
      .prepare(
        "INSERT INTO audit_entries (actor_id, action, subject_type, subject_id, before, after) VALUES (?, ?, 'team', 1, ?, ?)",
      )
      .run(adminId, `${action}.rename`, '{"name":"Partner \\ud800 desk"}', '{"name":"\\udc00 Partner desk"}');
  } finally {
    database.close();
  }
});
afterAll(async () => {
  await browser.close();
});

describe("the audit log", () => {
  it("shows a stored lone surrogate the same on the server and in the browser", async () => {
    const { context, page } = await newPage(browser);
    // React reports a hydration mismatch (#418, #425) on the console as well as by reportError.
    const consoleErrors: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error") consoleErrors.push(message.text());
    });
    try {
      const cookie = await signIn("admin@asklog.example", "asklog-demo");
      await context.addCookies(
        cookie.split("; ").map((pair) => {
          const [name = "", value = ""] = pair.split(/=(.*)/s);
          return { name, value, url: inject("baseUrl") };
        }),
      );
      await page.goto(`/admin/audit?action=${action}.`);
      // The change as a diff: the old name struck out, the new one marked as inserted.
      const change = page
        .getByRole("listitem")
        .filter({ has: page.locator("del", { hasText: "Partner \uFFFD desk" }) })
        .filter({ has: page.locator("ins", { hasText: "\uFFFD Partner desk" }) });
      await expect.poll(() => change.count()).toBe(1);
      expect(await change.textContent()).toBe("name: was Partner \uFFFD desk → now \uFFFD Partner desk");
      // The subject by its name, linked to where an admin can change it.
      const subject = page
        .getByRole("row")
        .filter({ has: change })
        .getByRole("link", { name: /^Team #1: \S/ });
      expect(await subject.getAttribute("href")).toBe("/admin/teams?edit=1#edit-team");
      // Hydrated: React has claimed the server's list of changes (or rendered its own over it).
      await page.waitForFunction(() => {
        const list = document.querySelector("ul.changes");
        return list !== null && Object.keys(list).some((key) => key.startsWith("__reactFiber"));
      });
      await page.waitForLoadState("networkidle");
      expect(consoleErrors.filter((e) => /#41[89]|#42[35]|hydrat/i.test(e))).toEqual([]);
      await expectAccessible(page);
    } finally {
      await context.close();
    }
  });
});
