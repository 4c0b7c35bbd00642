import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { browserForFile, expectAccessible } from "./browser";

const openPage = browserForFile();

async function visit(page: Page, path: string) {
  await page.goto(path);
  await expectAccessible(page);
}

describe("a partner with JavaScript", () => {
  it("signs up, files an ask, votes, retracts, comments, edits the comment and signs out", async () => {
    const { page, context } = await openPage();
    const email = `e2e-${Date.now()}@fabrikam.example`;

    await visit(page, "/");
    await page.getByRole("link", { name: "Sign up" }).click();
    await expect.poll(() => page.title()).toBe("Sign up · Asklog");
    await expectAccessible(page);

    // A too-short password is refused next to the field, and what was typed stays.
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Display name").fill("Morgan Reyes");
    await page.getByLabel("Organization").fill("Fabrikam");
    await page.getByLabel("Password").fill("short");
    await page.getByRole("button", { name: "Sign up" }).click();
    await expect.poll(() => page.getByText("Password must be at least 10 characters.").isVisible()).toBe(true);
    expect(await page.getByLabel("Display name").inputValue()).toBe("Morgan Reyes");
    await expectAccessible(page);

    await page.getByLabel("Password").fill("a long enough password");
    await page.getByRole("button", { name: "Sign up" }).click();
    await expect.poll(() => page.getByRole("banner").getByText("Morgan Reyes (Fabrikam)").isVisible()).toBe(true);

    await page.getByRole("link", { name: "File an ask" }).first().click();
    await expect.poll(() => page.title()).toBe("File an ask · Asklog");
    await expectAccessible(page);
    await page.getByLabel("Title").fill("Show rebate accruals per customer in Partner Center");
    await page
      .getByLabel("Description")
      .fill("We need **per-customer** accruals to plan renewals.\n\n- monthly\n- exportable");
    await page.getByLabel("Category").selectOption({ label: "Incentives and rebates" });
    await page.getByRole("button", { name: "Preview" }).click();
    await expect.poll(() => page.locator(".preview strong").textContent()).toBe("per-customer");
    await page.getByRole("button", { name: "File ask" }).click();

    await page.waitForURL(/\/asks\/\d+-show-rebate-accruals-per-customer-in-partner-center$/);
    await expect
      .poll(() => page.getByRole("heading", { level: 1 }).textContent())
      .toBe("Show rebate accruals per customer in Partner Center");
    expect(await page.getByText("Suggested by Morgan Reyes (Fabrikam)").isVisible()).toBe(true);
    expect(await page.locator(".markdown li").allTextContents()).toEqual(["monthly", "exportable"]);
    await expectAccessible(page);

    const count = page.locator(".vote-box .count [aria-hidden]");
    expect(await count.textContent()).toBe("0");
    await page.getByRole("button", { name: "Vote", exact: true }).click();
    await expect.poll(() => count.textContent()).toBe("1");
    await expect.poll(() => page.getByRole("button", { name: "Retract vote" }).isVisible()).toBe(true);
    await page.getByRole("button", { name: "Retract vote" }).click();
    await expect.poll(() => page.getByRole("button", { name: "Vote", exact: true }).isVisible()).toBe(true);
    expect(await count.textContent()).toBe("0");

    await page.getByLabel("Comment", { exact: true }).fill("We would use this **every month**.");
    await page.getByRole("button", { name: "Post comment" }).click();
    await expect.poll(() => page.locator(".comment strong", { hasText: "every month" }).count()).toBe(1);
    expect(await page.getByRole("heading", { name: "Comments (1)" }).isVisible()).toBe(true);
    await expectAccessible(page);

    await page.locator(".comment").getByRole("link", { name: /^Edit/ }).click();
    await page.getByLabel("Edit comment").fill("We would use this every week, in fact.");
    await page.getByRole("button", { name: "Save comment" }).click();
    await expect.poll(() => page.getByText("We would use this every week, in fact.").isVisible()).toBe(true);
    expect(await page.getByText("· edited").isVisible()).toBe(true);

    await page.getByRole("button", { name: "Sign out" }).click();
    await expect.poll(() => page.getByRole("link", { name: "Sign in", exact: true }).isVisible()).toBe(true);
    // The session is gone on the server: my asks now asks for sign-in.
    await page.goto("/my-asks");
    await page.waitForURL(/\/signin\?redirectTo=%2Fmy-asks/);
    await context.close();
  });

  it("shows the demo CPOR ask with its dated status details and resolution link", async () => {
    const { page, context } = await openPage();
    await visit(page, "/?sort=top&q=CPOR");
    // The ask's title; each row's vote link names the ask too.
    await page
      .getByRole("heading", { name: /customer-facing page/i })
      .getByRole("link")
      .first()
      .click();
    await page.waitForURL(/\/asks\/\d+-a-customer-facing-page/);
    await expectAccessible(page);
    const details = page.getByRole("region", { name: "Status details" });
    // Each entry's day is shown in the browser's language; its <time> carries the ISO day.
    const days = await details
      .locator("li .when > time")
      .evaluateAll((times) => times.map((t) => t.getAttribute("datetime")));
    expect(days).toEqual(["2021-04-27", "2021-05-11", "2021-07-23"]);
    const entries = await details.locator("li .when").allTextContents();
    expect(entries).toEqual([
      expect.stringMatching(/^[^·]*2021 ·\sAssignment Team/),
      expect.stringMatching(/^[^·]*2021 ·\sEPX/),
      expect.stringMatching(/^[^·]*2021 ·\sProgram team/),
    ]);
    expect(await details.getByText(/OSU/).count()).toBeGreaterThan(0);
    const resolution = page.getByRole("region", { name: "Resolution" }).getByRole("link");
    expect(await resolution.getAttribute("href")).toBe("https://aka.ms/about-cpor");
    expect(await page.getByRole("heading", { name: "Comments (6)" }).isVisible()).toBe(true);
    expect(await page.locator(".vote-box .count [aria-hidden]").textContent()).toBe("6");
    expect(await page.getByText("Voting is closed: this ask is completed.").isVisible()).toBe(true);
    await context.close();
  });
});

describe("a partner without JavaScript", () => {
  it("signs in, votes, comments and signs out with plain forms", async () => {
    const { page, context } = await openPage({ javaScriptEnabled: false });
    await visit(page, "/?sort=newest&status=open");
    await page.locator(".ask-row h2 a").first().click();
    await page.waitForURL(/\/asks\/\d+-/);
    const askUrl = page.url();

    await page.getByRole("link", { name: "Sign in to vote" }).click();
    await expectAccessible(page);
    await page.getByLabel("Email").fill("dana@contoso.example");
    await page.getByLabel("Password").fill("wrong password");
    await page.getByRole("button", { name: "Sign in" }).click();
    expect(await page.getByRole("alert").textContent()).toBe("That email and password do not match an account.");
    expect(await page.getByLabel("Email").inputValue()).toBe("dana@contoso.example");
    await page.getByLabel("Password").fill("asklog-demo");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(askUrl);

    const count = page.locator(".vote-box .count [aria-hidden]");
    const before = Number(await count.textContent());
    const voteButton = page.getByRole("button", { name: "Vote", exact: true });
    const retract = page.getByRole("button", { name: "Retract vote" });
    if (await retract.isVisible()) {
      await retract.click();
      await page.waitForURL(askUrl);
      expect(Number(await count.textContent())).toBe(before - 1);
    }
    const base = Number(await count.textContent());
    await voteButton.click();
    await page.waitForURL(askUrl);
    expect(Number(await count.textContent())).toBe(base + 1);
    expect(await retract.isVisible()).toBe(true);

    // An empty comment is refused with a message next to the field.
    await page.getByRole("button", { name: "Post comment" }).click();
    expect(await page.getByText("Write a comment before posting.").isVisible()).toBe(true);
    await expectAccessible(page);
    await page.getByLabel("Comment", { exact: true }).fill("Posted without JavaScript.");
    await page.getByRole("button", { name: "Post comment" }).click();
    expect(await page.getByText("Posted without JavaScript.").isVisible()).toBe(true);

    await page.getByRole("button", { name: "Sign out" }).click();
    expect(await page.getByRole("link", { name: "Sign in", exact: true }).isVisible()).toBe(true);
    await context.close();
  });
});
