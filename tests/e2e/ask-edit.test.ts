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
    await expect.poll(() => revision.getByText(`${before} ${stamp} totals`).isVisible()).toBe(true);
    expect(await revision.textContent()).toContain("Incentives and rebates");
    expect(await revision.textContent()).toContain("Replaced by Tariq");
    await expectAccessible(page);

    // The old address still finds the ask.
    await page.goto(askUrl);
    await page.waitForURL(new RegExp(`/asks/\\d+-${slug(after)}-${stamp}-totals$`));
    await context.close();
  });
});
