import { describe, expect, inject, it } from "vitest";
import { browserForFile, expectAccessible, signIn } from "./browser";

const openPage = browserForFile();

// A demo ask that is open; ask 1 (the CPOR customer-facing page) is completed.
// An open ask of the demo data (numbered by filing date): "Shorten the 90-day wait…".
const openAsk = "/asks/7";

describe.each([
  ["with JavaScript", true],
  ["without JavaScript", false],
])("the ask page %s", (_, javaScriptEnabled) => {
  it("explains the feed on a page of its own and offers its address", async () => {
    const { page, context } = await openPage({ javaScriptEnabled });
    await page.goto(openAsk);
    await expectAccessible(page);
    await page.getByRole("link", { name: /^Feed/ }).click();
    await page.waitForURL(/\/asks\/7-[^/]+\/feed$/);
    await expectAccessible(page);
    expect(await page.getByRole("heading", { name: "Follow this ask in a feed reader" }).isVisible()).toBe(true);
    expect(await page.getByLabel("Feed address").inputValue()).toMatch(/^http:\/\/[^/]+\/asks\/7-[^/]+\/feed\.atom$/);
    const alternate = page.locator('head link[rel="alternate"][type="application/atom+xml"][href$="/feed.atom"]');
    expect(await alternate.getAttribute("href")).toMatch(/^\/asks\/7-[^/]+\/feed\.atom$/);
    await context.close();
  });

  it("lets the author undo a comment's deletion from the next page", async () => {
    const { page, context } = await openPage({ javaScriptEnabled });
    await signIn(page, "dana@contoso.example", "asklog-demo");
    await page.goto(openAsk);
    const text = `Undo me ${javaScriptEnabled ? "js" : "nojs"} ${Date.now()}`;
    await page.getByLabel("Comment", { exact: true }).fill(text);
    await page.getByRole("button", { name: "Post comment" }).click();
    const comment = page.locator("li.comment", { hasText: text });
    await expect.poll(() => comment.isVisible()).toBe(true);

    await comment.getByRole("button", { name: /^Delete/ }).click();
    const undo = page.getByRole("status").filter({ hasText: "Comment deleted." });
    await expect.poll(() => undo.isVisible()).toBe(true);
    expect(await page.getByText(text).count()).toBe(0);
    await expectAccessible(page);

    await undo.getByRole("button", { name: "Undo" }).click();
    await expect.poll(() => page.getByText("Comment restored.").isVisible()).toBe(true);
    expect(await page.locator("li.comment", { hasText: text }).count()).toBe(1);
    await expectAccessible(page);
    await context.close();
  });

  it("finds the merge target by title and asks before merging into a closed ask", async () => {
    const { page, context } = await openPage({ javaScriptEnabled });
    const admin = inject("admin");
    await signIn(page, admin.email, admin.password);
    await page.goto(openAsk);
    await expectAccessible(page);
    await page.getByText("Merge", { exact: true }).click();
    await page.getByLabel("Find the ask to merge into").fill("customer facing page");
    await page.getByRole("button", { name: "Find asks" }).click();
    const cpor = /^#\d+ A customer-facing page that explains CPOR and POE/;
    const target = page.getByRole("radio", { name: cpor });
    await expect.poll(() => target.isVisible()).toBe(true);
    await expectAccessible(page);
    await target.check();
    await page.getByRole("button", { name: "Merge as duplicate" }).click();
    await expect
      .poll(() => page.getByText(/^That ask is .+; confirm to merge into a closed ask\.$/).isVisible())
      .toBe(true);
    expect(await page.getByRole("checkbox", { name: "Merge into a closed ask" }).isVisible()).toBe(true);
    expect(await page.getByRole("radio", { name: cpor }).isChecked()).toBe(true);
    await expectAccessible(page);
    // Not confirmed: nothing was merged.
    await page.goto(openAsk);
    expect(await page.getByText("This ask was merged into").count()).toBe(0);
    await context.close();
  });
});
