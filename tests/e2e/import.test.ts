import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { browserForFile, expectAccessible, signIn } from "./browser";

const openPage = browserForFile();
const dir = mkdtempSync(join(tmpdir(), "asklog-e2e-import-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// The CPOR ask as another tracker kept it: three dated entries by three teams, six comments
// from partners of four organizations and a team, a resolution link. `word` is in the EPX note
// only, so that finding it proves the note was indexed.
function history(stamp: string, word: string) {
  return {
    format: "asklog",
    version: 1,
    people: [
      { ref: `${stamp}-raj`, name: "Raj Mehta", organization: "Dell", role: "partner" },
      { ref: `${stamp}-kelly`, name: "Kelly Brennan", organization: "Dell", role: "partner" },
      { ref: `${stamp}-dana`, name: "Dana Whitfield", organization: "Contoso", role: "partner" },
      { ref: `${stamp}-hannah`, name: "Hannah Okafor", organization: "Fabrikam", role: "partner" },
      { ref: `${stamp}-kofi`, name: "Kofi Mensah", organization: "Northwind Traders", role: "partner" },
      { ref: `${stamp}-priya`, name: "Priya Raman", role: "team", team: "Assignment Team" },
      { ref: `${stamp}-tariq`, name: "Tariq Haddad", role: "team", team: "EPX" },
      { ref: `${stamp}-marcus`, name: "Marcus Olsen", role: "team", team: "Program team" },
    ],
    asks: [
      {
        ref: `${stamp}-cpor`,
        title: `Imported ${stamp}: a page for customers about CPOR claims`,
        body: "Partners find it hard to explain Claiming Partner of Record (CPOR) to their customers.",
        author: `${stamp}-raj`,
        category: "Partner of Record",
        createdAt: "2021-04-20",
        sourceUrl: "https://old-tracker.example/items/123",
        votes: [`${stamp}-dana`, `${stamp}-hannah`],
        extraVotes: 4,
        statusUpdates: [
          {
            date: "2021-04-27",
            team: "Assignment Team",
            status: "under-review",
            note: "Assigning to Partner Support Team to triage.",
            author: `${stamp}-priya`,
          },
          {
            date: "2021-05-11",
            team: "EPX",
            status: "planned",
            note: `Added to the ${word} list shared with the OSU team for next year's planning.`,
            author: `${stamp}-tariq`,
          },
          {
            date: "2021-07-23",
            team: "Program team",
            status: "completed",
            note: "A standalone customer-facing page now describes CPOR.",
            author: `${stamp}-marcus`,
            links: [{ url: "https://aka.ms/about-cpor", title: "About Claiming Partner of Record" }],
          },
        ],
        comments: [
          { author: `${stamp}-kelly`, createdAt: "2021-04-21T09:00:00Z", body: "We (Dell) requested this months ago." },
          { author: `${stamp}-dana`, createdAt: "2021-04-22T10:00:00Z", body: "It would remove friction." },
          { author: `${stamp}-hannah`, createdAt: "2021-04-23T11:00:00Z", body: "A page we can point to." },
          { author: `${stamp}-tariq`, createdAt: "2021-05-12T12:00:00Z", body: "That is the intent.", official: true },
          { author: `${stamp}-kofi`, createdAt: "2021-06-01T13:00:00Z", body: "Looking forward to it." },
          { author: `${stamp}-marcus`, createdAt: "2021-07-24T14:00:00Z", body: "The docs page is published." },
        ],
      },
    ],
  };
}

describe.each([
  ["with JavaScript", true],
  ["without JavaScript", false],
])("an admin importing a tracker's history %s", (_, javaScriptEnabled) => {
  it("checks the file, imports it, and a visitor then finds the ask by a word of its EPX note", async () => {
    const stamp = `${javaScriptEnabled ? "js" : "nojs"}${Date.now().toString(36)}`;
    const word = `${javaScriptEnabled ? "kestrel" : "osprey"}${Date.now().toString(36)}`;
    const file = join(dir, `cpor-${stamp}.json`);
    writeFileSync(file, JSON.stringify(history(stamp, word)));

    const admin = await openPage({ javaScriptEnabled });
    await signIn(admin.page, "admin@asklog.example", "asklog-demo");
    await admin.page.goto("/admin/import");
    await expectAccessible(admin.page);
    await admin.page.getByLabel("File to import").setInputFiles(file);
    // "Check only" starts ticked: the first upload is a dry run.
    await admin.page.getByRole("button", { name: "Upload and import" }).click();
    await admin.page.waitForURL(/\/admin\/import\/\d+$/);
    const checked = admin.page.getByRole("status").filter({ hasText: "The file is right: nothing was written." });
    await expect.poll(() => checked.isVisible(), { timeout: 30_000 }).toBe(true);
    await expectAccessible(admin.page);
    expect(await admin.page.getByRole("table").textContent()).toMatch(/Asks\s*1\s*0\s*0/);

    await admin.page.getByRole("button", { name: "Import this file now" }).click();
    const imported = admin.page.getByRole("status").filter({ hasText: /^Imported in/ });
    await expect.poll(() => imported.isVisible(), { timeout: 30_000 }).toBe(true);
    await expectAccessible(admin.page);
    await admin.context.close();

    const visitor = await openPage({ javaScriptEnabled });
    await visitor.page.goto("/search");
    await visitor.page.getByLabel("Search", { exact: true }).last().fill(word);
    await visitor.page.getByLabel("Search", { exact: true }).last().press("Enter");
    await visitor.page.waitForURL(/\/search\?q=/);
    const hit = visitor.page.getByRole("link", {
      name: `Imported ${stamp}: a page for customers about CPOR claims`,
    });
    await expect.poll(() => hit.isVisible()).toBe(true);
    expect(await visitor.page.getByText(/Status note dated 2021-05-11 · EPX/).isVisible()).toBe(true);
    await expectAccessible(visitor.page);

    await hit.click();
    await visitor.page.waitForURL(/\/asks\/\d+-imported-/);
    const main = visitor.page.getByRole("main");
    expect(await main.getByText(/Imported from/).textContent()).toContain("Imported from old-tracker.example");
    expect(await main.getByRole("link", { name: "old-tracker.example" }).getAttribute("href")).toBe(
      "https://old-tracker.example/items/123",
    );
    expect(await main.locator(".meta-line").first().textContent()).toMatch(/Filed (20 Apr 2021|Apr 20, 2021)/);
    const details = await main.locator('section[aria-labelledby="status-details"]').textContent();
    // Days read in the browser's locale: "27 April 2021" or "April 27, 2021".
    for (const [day, month] of [
      ["27", "April"],
      ["11", "May"],
      ["23", "July"],
    ]) {
      expect(details).toMatch(new RegExp(`${day} ${month} 2021|${month} ${day}, 2021`));
    }
    for (const team of ["Assignment Team", "EPX", "Program team"]) expect(details).toContain(team);
    expect(await main.getByRole("link", { name: "About Claiming Partner of Record" }).first().isVisible()).toBe(true);
    expect(await main.getByText("We (Dell) requested this months ago.").isVisible()).toBe(true);
    expect(await main.locator("#comments").textContent()).toMatch(/Kelly Brennan[\s\S]*Dell/);
    await expectAccessible(visitor.page);
    await visitor.context.close();
  });
});
