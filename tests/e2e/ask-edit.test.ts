import { describe, expect, it } from "vitest";
import { browserForFile, expectAccessible, signIn } from "./browser";

const openPage = browserForFile();
const slug = (words: string) => words.toLowerCase().replace(" ", "-");

describe.each([
  ["with JavaScript", true],
  ["without JavaScript", false],
])("a team member editing an ask %s", (_, javaScriptEnabled) => {
  it("retitles and moves the ask, and the page shows the earlier version", async () => {
    // Words no other ask has (the other run's included), so filing asks about no similar ask.
    const stamp = `${javaScriptEnabled ? "js" : "nojs"}${Date.now().toString(36)}`;
    const [before, after] = javaScriptEnabled
      ? ["Quarterly zorblat", "Monthly zorblat"]
      : ["Yearly quixel", "Weekly quixel"];
    const { page, context } = await openPage({ javaScriptEnabled });
    await signIn(page, "tariq@asklog.example", "asklog-demo");

    await page.goto("/asks/new");
    await page.getByLabel("Title").fill(`${before} ${stamp} totals`);
    await page.getByLabel("Description").fill("Partners want these totals per period.");
    await page.getByLabel("Category").selectOption({ label: "Incentives and rebates" });
    await page.getByRole("button", { name: "File ask" }).click();
    await page.waitForURL(new RegExp(`/asks/\\d+-${slug(before)}-${stamp}-totals$`));
    const askUrl = page.url();

    await page.getByRole("link", { name: "Edit this ask" }).click();
    await page.waitForURL(`${askUrl}/edit`);
    await expect.poll(() => page.title()).toBe(`Edit · ${before} ${stamp} totals · Asklog`);
    await expectAccessible(page);
    await page.getByLabel("Title").fill(`${after} ${stamp} totals`);
    await page.getByLabel("Description").fill("Partners want these totals **per month**.");
    await page.getByLabel("Category").selectOption({ label: "Partner Center" });
    await page.getByRole("button", { name: "Preview" }).click();
    await expect.poll(() => page.locator(".preview strong").textContent()).toBe("per month");
    // The preview keeps what was typed.
    expect(await page.getByLabel("Title").inputValue()).toBe(`${after} ${stamp} totals`);
    await expectAccessible(page);
    await page.getByRole("button", { name: "Save changes" }).click();

    await page.waitForURL(new RegExp(`/asks/\\d+-${slug(after)}-${stamp}-totals$`));
    await expect.poll(() => page.getByRole("status").filter({ hasText: "Ask updated." }).isVisible()).toBe(true);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe(`${after} ${stamp} totals`);
    expect(await page.locator(".meta-line").first().textContent()).toContain("Partner Center");
    expect(await page.locator(".meta-line").first().textContent()).toContain("Edited");

    const earlier = page.locator("details#revisions");
    await earlier.getByText("Earlier versions (1)").click();
    const revision = earlier.locator("li");
    await expect.poll(() => revision.locator("del").first().isVisible()).toBe(true);
    expect(await revision.locator(".diff-title del").textContent()).toBe(`removed ${before.split(" ")[0]} `);
    expect(await revision.textContent()).toContain("Category: was Incentives and rebates → now Partner Center");
    // A team's edit is noted as one, on the revision and next to "Edited".
    expect(await revision.textContent()).toContain("Edited by Tariq Haddad (EPX, program team)");
    expect(await page.locator(".meta-line").first().textContent()).toContain("by Tariq Haddad (EPX, program team)");
    await expectAccessible(page);

    // The old address still finds the ask.
    await page.goto(askUrl);
    await page.waitForURL(new RegExp(`/asks/\\d+-${slug(after)}-${stamp}-totals$`));
    await context.close();
  });
});

describe.each([
  ["with JavaScript", true],
  ["without JavaScript", false],
])("a partner editing their own ask %s", (_, javaScriptEnabled) => {
  it("fixes a new ask, a visitor reads the change, and a team's answer ends the partner's edits", async () => {
    const stamp = `${javaScriptEnabled ? "js" : "nojs"}${Date.now().toString(36)}`;
    // Words no other ask has (the other run's included), so filing asks about no similar ask.
    const [first, typo, fixed] = javaScriptEnabled
      ? ["Fortnightly", "plonkwise", "plinkwise"]
      : ["Semimonthly", "quorbish", "quarbish"];
    const before = `${first} ${typo} ${stamp} report`;
    const after = `${first} ${fixed} ${stamp} report`;
    const partner = await openPage({ javaScriptEnabled });
    await signIn(partner.page, "hannah.okafor@fabrikam.example", "asklog-demo");
    await partner.page.goto("/asks/new");
    await partner.page.getByLabel("Title").fill(before);
    await partner.page.getByLabel("Description").fill("We need this report every second week.");
    await partner.page.getByLabel("Category").selectOption({ label: "Incentives and rebates" });
    await partner.page.getByRole("button", { name: "File ask" }).click();
    await partner.page.waitForURL(new RegExp(`/asks/\\d+-${slug(before).replaceAll(" ", "-")}$`));
    const askId = new URL(partner.page.url()).pathname.match(/\/asks\/(\d+)-/)?.[1];

    // The typo fixed: one word of the title, a few more words in the description.
    await partner.page.getByRole("link", { name: "Edit this ask" }).click();
    await partner.page.waitForURL(/\/edit$/);
    await expectAccessible(partner.page);
    await partner.page.getByLabel("Title").fill(after);
    await partner.page.getByLabel("Description").fill("We need this report every second week, by region.");
    await partner.page.getByRole("button", { name: "Save changes" }).click();
    await partner.page.waitForURL(new RegExp(`/asks/${askId}-${slug(after).replaceAll(" ", "-")}$`));
    const askUrl = partner.page.url();
    // With JavaScript the address changes a moment before the ask page replaces the form.
    await expect.poll(() => partner.page.getByRole("heading", { level: 1 }).textContent()).toBe(after);
    // An author's fix is not marked as a team's.
    const meta = await partner.page.locator(".meta-line").first().textContent();
    expect(meta).toContain("Edited");
    expect(meta).not.toContain("program team");
    await expectAccessible(partner.page);

    // A visitor follows "Edited" to the earlier version, shown as what the edit changed.
    const visitor = await openPage({ javaScriptEnabled });
    await visitor.page.goto(askUrl);
    await visitor.page.getByRole("link", { name: /^Edited/ }).click();
    const revisions = visitor.page.locator("details#revisions");
    await expect.poll(() => revisions.getAttribute("open")).not.toBeNull();
    const revision = revisions.locator("li");
    expect(await revision.locator(".diff-title del").textContent()).toBe(`removed ${typo} `);
    expect(await revision.locator(".diff-title ins").textContent()).toBe(`added ${fixed} `);
    expect(await revision.locator(".diff-body ins").allTextContents()).toEqual(["added , by region"]);
    expect(await revision.textContent()).toContain("Edited by Hannah Okafor");
    await expectAccessible(visitor.page);
    await visitor.context.close();

    // A team member answers with a status update.
    const team = await openPage({ javaScriptEnabled });
    await signIn(team.page, "priya@asklog.example", "asklog-demo");
    await team.page.goto(askUrl);
    await team.page.getByText("Post a status update").click();
    await team.page.getByLabel("New status").selectOption({ label: "Under review" });
    await team.page.getByLabel("Note").fill("We are looking at this with the reporting team.");
    await team.page.getByRole("button", { name: "Record status update" }).click();
    await team.page.waitForURL((url) => url.href.startsWith(askUrl));
    await expect
      .poll(() => team.page.getByRole("region", { name: "Status details" }).textContent())
      .toContain("reporting team");
    await team.context.close();

    // The partner's Edit link is gone, and the edit page says why.
    await partner.page.goto(askUrl);
    await expect.poll(() => partner.page.getByText("reporting team").isVisible()).toBe(true);
    expect(await partner.page.getByRole("link", { name: "Edit this ask" }).count()).toBe(0);
    await expectAccessible(partner.page);
    const refused = await partner.page.goto(`${askUrl}/edit`);
    expect(refused?.status()).toBe(403);
    expect(await partner.page.textContent("body")).toContain(
      "This ask can no longer be edited: a program team has answered it.",
    );
    await expectAccessible(partner.page);
    await partner.context.close();
  });
});

describe.each([
  ["with JavaScript", true],
  ["without JavaScript", false],
])("two people editing the same ask %s", (_, javaScriptEnabled) => {
  it("refuses the later save next to the form, with both texts kept to merge by hand", async () => {
    // Words no other ask has (the other run's included), so filing asks about no similar ask.
    const stamp = `${javaScriptEnabled ? "js" : "nojs"}${Date.now().toString(36)}`;
    const words = javaScriptEnabled ? "Biweekly snorkfield" : "Triweekly blorptank";
    const partner = await openPage({ javaScriptEnabled });
    await signIn(partner.page, "hannah.okafor@fabrikam.example", "asklog-demo");
    await partner.page.goto("/asks/new");
    await partner.page.getByLabel("Title").fill(`${words} ${stamp} export`);
    await partner.page.getByLabel("Description").fill("An export every two weeks.");
    await partner.page.getByLabel("Category").selectOption({ label: "Incentives and rebates" });
    await partner.page.getByRole("button", { name: "File ask" }).click();
    await partner.page.waitForURL(new RegExp(`-${words.toLowerCase().replace(" ", "-")}-${stamp}-export$`));
    const askUrl = partner.page.url();
    await partner.page.goto(`${askUrl}/edit`);

    // While the partner's form is open, a team member saves an edit of their own.
    const team = await openPage({ javaScriptEnabled });
    await signIn(team.page, "priya@asklog.example", "asklog-demo");
    await team.page.goto(`${askUrl}/edit`);
    await team.page.getByLabel("Description").fill("The team's wording: an export every two weeks, as CSV.");
    await team.page.getByRole("button", { name: "Save changes" }).click();
    await expect.poll(() => team.page.getByRole("status").filter({ hasText: "Ask updated." }).isVisible()).toBe(true);
    await team.context.close();

    await partner.page.getByLabel("Description").fill("The partner's wording: every two weeks, by region.");
    await partner.page.getByRole("button", { name: "Save changes" }).click();
    const alert = partner.page.getByRole("alert");
    await expect.poll(() => alert.textContent()).toMatch(/^This ask was changed since you opened it\./);
    // The partner's own text stays in the field; the saved one is shown beside it.
    expect(await partner.page.getByLabel("Description").inputValue()).toBe(
      "The partner's wording: every two weeks, by region.",
    );
    const saved = partner.page.getByRole("region", { name: "The saved version" });
    await expect.poll(() => saved.textContent()).toContain("The team's wording: an export every two weeks, as CSV.");
    await expectAccessible(partner.page);

    // Merged by hand, the save goes through over the team's version, which is kept as a revision.
    await partner.page.getByLabel("Description").fill("Every two weeks, as CSV, by region.");
    await partner.page.getByRole("button", { name: "Save changes" }).click();
    await expect
      .poll(() => partner.page.getByRole("status").filter({ hasText: "Ask updated." }).isVisible())
      .toBe(true);
    expect((await partner.page.locator(".markdown").first().textContent())?.trim()).toBe(
      "Every two weeks, as CSV, by region.",
    );
    expect(await partner.page.getByText("Earlier versions (2)").count()).toBe(1);
    await partner.context.close();
  });
});
