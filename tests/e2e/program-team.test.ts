import { describe, expect, inject, it } from "vitest";
import { browserForFile, expectAccessible, signIn } from "./browser";

const openPage = browserForFile();

describe("a program team's week", () => {
  it("admin promotes a partner, who records a back-dated update that partners then read", async () => {
    const admin = inject("admin");
    const stamp = Date.now();
    const memberEmail = `new-team-member-${stamp}@northwind.example`;

    // A partner signs up; the admin makes them a member of the EPX team.
    const signup = await openPage();
    await signup.page.goto("/signup");
    await signup.page.getByLabel("Email").fill(memberEmail);
    await signup.page.getByLabel("Display name").fill("Jordan Blake");
    await signup.page.getByLabel("Organization").fill("Northwind Traders");
    await signup.page.getByLabel("Password").fill("jordan-password-123");
    await signup.page.getByRole("button", { name: "Sign up" }).click();
    await expect.poll(() => signup.page.getByRole("button", { name: "Sign out" }).isVisible()).toBe(true);
    // As a partner, the triage queue is off limits.
    const refused = await signup.page.goto("/triage");
    expect(refused?.status()).toBe(403);
    await signup.context.close();

    const { page: adminPage, context: adminContext } = await openPage();
    await signIn(adminPage, admin.email, admin.password);
    await adminPage.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" }).click();
    await adminPage.waitForURL(/\/admin$/);
    await adminPage.goto("/admin/users");
    await adminPage.getByLabel("Name or email").fill(memberEmail);
    await adminPage.getByRole("button", { name: "Search" }).click();
    await adminPage.getByRole("link", { name: "Edit Jordan Blake" }).click();
    await expectAccessible(adminPage);
    const editor = adminPage.getByRole("region", { name: /Jordan Blake/ });
    await editor.getByLabel("Role").selectOption({ label: "Team member" });
    await editor.getByLabel("Team").selectOption({ label: "EPX" });
    await editor.getByRole("button", { name: "Save role, team and organization" }).click();
    await expect.poll(() => adminPage.getByRole("row", { name: /Jordan Blake/ }).textContent()).toContain("EPX");
    await adminContext.close();

    // The new team member records a back-dated status update with a note and a resolution link.
    const { page, context } = await openPage();
    await signIn(page, memberEmail, "jordan-password-123");
    await page.getByRole("link", { name: "Triage" }).click();
    await expectAccessible(page);
    // An open demo ask filed 2026-08-05; the update is entered later, about a day in September.
    await page.goto("/?status=open&q=certifications");
    await page.getByRole("link", { name: "Count certifications earned by contractors toward our designation" }).click();
    await page.waitForURL(/\/asks\/\d+-/);
    const askUrl = page.url();
    await expectAccessible(page);
    await page.getByText("Post a status update").click();
    await page.getByLabel("New status").selectOption({ label: "Planned" });
    expect(await page.getByLabel("Team", { exact: true }).inputValue()).not.toBe("");
    await page
      .getByLabel("Note")
      .fill("Reviewed with the **OSU** planning group; scheduled for the next program year.");
    await page.getByLabel("Date this update is about").fill("2026-09-14");
    await page.getByLabel("Link 1 URL").fill("https://learn.example.com/partner-center/cocp-countdown");
    await page.getByLabel("Link 1 title").fill("Planning note for the countdown");
    await page.getByRole("button", { name: "Record status update" }).click();
    await page.waitForURL((url) => url.href.startsWith(askUrl));
    const entry = page
      .getByRole("region", { name: "Status details" })
      .locator("li", { has: page.locator('time[datetime="2026-09-14"]') });
    await expect.poll(() => entry.textContent()).toContain("EPX");
    await context.close();

    // A partner, signed in, sees the dated entry and the link, and still cannot triage.
    const partner = await openPage();
    await signIn(partner.page, "dana@contoso.example", "asklog-demo");
    await partner.page.goto(askUrl);
    await expectAccessible(partner.page);
    const history = partner.page.getByRole("region", { name: "Status details" });
    const dated = history.locator("li", { has: partner.page.locator('time[datetime="2026-09-14"]') });
    // Recorded today, months before the day it is about: both are shown, in the browser's language.
    expect(await dated.textContent()).toMatch(/^[^·(]*2026 \(recorded [^)]+\) ·\sEPX/);
    expect(await dated.getByText("OSU").count()).toBe(1);
    const link = partner.page
      .getByRole("region", { name: "Related links" })
      .getByRole("link", { name: "Planning note for the countdown" });
    // A planned ask is not resolved yet: its links are related reading.
    expect(await partner.page.getByRole("region", { name: "Resolution" }).count()).toBe(0);
    expect(await link.getAttribute("href")).toBe("https://learn.example.com/partner-center/cocp-countdown");
    expect(await partner.page.getByLabel("New status").count()).toBe(0);
    const triage = await partner.page.goto("/triage");
    expect(triage?.status()).toBe(403);
    await partner.context.close();
  });
});
