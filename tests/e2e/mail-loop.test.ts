import Database from "better-sqlite3";
import type { ParsedMail } from "mailparser";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { askPath } from "~/slug";
import { demoPassword } from "../../db/seed";
import { type Mailbox, startMailbox } from "../support/smtp-mailbox";
import { browserForFile, expectAccessible } from "./browser";
import { type RunningServer, startAsklog } from "./server";

// The whole loop, through a real SMTP server and the server's own worker: a partner votes, a
// team member posts a back-dated status update, the partner gets one mail about it, the mail's
// one-click unsubscribe stops the next one, and the app lists what the partner was told.
// This file runs its own server: the shared one has no SMTP_URL.

const openPage = browserForFile();
const partner = "dana@contoso.example";
const teamMember = "tariq@asklog.example";
const stamp = Date.now();
const first = {
  status: "Planned",
  note: `Reviewed with the partner council ${stamp}; scheduled for the spring release.`,
  linkUrl: `https://learn.example.com/partner-center/spring-release-${stamp}`,
  linkTitle: "Spring release plan",
};
const second = { status: "In progress", note: `Work started ${stamp}.` };

type Ask = { id: number; title: string; slug: string; createdAt: string };
let mailbox: Mailbox;
let server: RunningServer;
let ask: Ask;
// The ask's other followers, who hear about both updates: when they have the second one, the
// worker has dealt with the partner's too.
let otherFollowers: string[];

beforeAll(async () => {
  mailbox = await startMailbox();
  server = await startAsklog({ SMTP_URL: mailbox.url });
  const database = new Database(server.databasePath, { readonly: true });
  try {
    const id = (email: string) =>
      (database.prepare("SELECT id FROM users WHERE email = ?").get(email) as { id: number } | undefined)?.id;
    const partnerId = id(partner);
    const memberId = id(teamMember);
    if (partnerId === undefined || memberId === undefined) throw new Error("the demo sign-ins are missing");
    // An open demo ask, filed over a month ago by someone else, that the partner neither voted
    // on nor follows.
    const found = database
      .prepare(
        `SELECT a.id, a.title, a.slug, a.created_at AS createdAt
         FROM asks a JOIN statuses s ON s.id = a.status_id
         WHERE s.slug = 'open' AND s.accepts_votes = 1 AND a.hidden_at IS NULL AND a.duplicate_of_id IS NULL
           AND a.author_id NOT IN (?, ?) AND a.created_at < date('now', '-30 days')
           AND NOT EXISTS (SELECT 1 FROM votes v WHERE v.ask_id = a.id AND v.user_id = ?)
           AND NOT EXISTS (SELECT 1 FROM subscriptions f WHERE f.ask_id = a.id AND f.user_id = ?)
         ORDER BY a.id LIMIT 1`,
      )
      .get(partnerId, memberId, partnerId, partnerId) as Ask | undefined;
    if (!found) throw new Error("the demo data has no open ask the partner does not follow");
    ask = found;
    otherFollowers = (
      database
        .prepare(
          `SELECT u.email FROM subscriptions f JOIN users u ON u.id = f.user_id
           WHERE f.ask_id = ? AND f.unfollowed_at IS NULL AND u.id NOT IN (?, ?)
             AND u.disabled_at IS NULL AND u.blocked_at IS NULL`,
        )
        .all(ask.id, partnerId, memberId) as { email: string }[]
    ).map((r) => r.email);
  } finally {
    database.close();
  }
}, 180_000);

afterAll(async () => {
  await server?.stop();
  await mailbox?.close();
});

// The pages open on this file's server: every address is absolute.
const at = (path: string) => `${server.baseUrl}${path}`;

async function signInHere(page: Page, email: string) {
  await page.goto(at("/signin"));
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(demoPassword);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect.poll(() => page.getByRole("button", { name: "Sign out" }).isVisible()).toBe(true);
}

// The date a number of days after an ISO timestamp's day, as the date field and the mail write it.
function daysAfter(iso: string, days: number): string {
  const date = new Date(`${iso.slice(0, 10)}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

const about = (note: string) => (m: ParsedMail) => (m.text ?? "").includes(note);
const mailsTo = (address: string, note: string) => mailbox.to(address).filter(about(note));

// The https link of List-Unsubscribe, as a mail client reads it (long headers may be folded).
function unsubscribeLink(mail: ParsedMail): string {
  const line = (key: string) =>
    mail.headerLines
      .find((h) => h.key === key)
      ?.line.replace(/\r?\n[ \t]+/g, " ")
      .replace(/^[^:]+:\s*/, "");
  expect(line("list-unsubscribe-post")).toBe("List-Unsubscribe=One-Click");
  const url = /<(https?:[^>]+)>/.exec(line("list-unsubscribe") ?? "")?.[1];
  if (url === undefined) throw new Error(`no https List-Unsubscribe in ${JSON.stringify(mail.headerLines)}`);
  return url;
}

async function postStatusUpdate(page: Page, update: { status: string; note: string; aboutDate?: string }) {
  await page.goto(at(askPath(ask)));
  await expectAccessible(page);
  await page.getByText("Post a status update").click();
  await page.getByLabel("New status").selectOption({ label: update.status });
  expect(await page.getByLabel("Team", { exact: true }).locator("option:checked").textContent()).toBe("EPX");
  await page.getByLabel("Note").fill(update.note);
  if (update.aboutDate) await page.getByLabel("Date this update is about").fill(update.aboutDate);
  return async () => {
    await page.getByRole("button", { name: "Record status update" }).click();
    const entry = page.getByRole("region", { name: "Status details" }).locator("li", { hasText: update.note });
    await expect.poll(() => entry.count()).toBe(1);
    await expectAccessible(page);
  };
}

describe("the notification loop, through a real SMTP server", () => {
  it("a partner votes, hears about a back-dated update once, unsubscribes in one click and hears no more", async () => {
    const aboutDate = daysAfter(ask.createdAt, 7);
    expect(aboutDate < new Date().toISOString().slice(0, 10)).toBe(true);

    // 1. The partner votes on the ask, which makes her follow it.
    const dana = await openPage();
    await dana.page.setViewportSize({ width: 1280, height: 800 });
    await signInHere(dana.page, partner);
    await dana.page.goto(at(askPath(ask)));
    await expectAccessible(dana.page);
    expect(await dana.page.getByRole("button", { name: "Unfollow" }).count()).toBe(0);
    await dana.page.getByRole("button", { name: "Vote", exact: true }).click();
    await expect.poll(() => dana.page.getByRole("button", { name: "Retract vote" }).isVisible()).toBe(true);
    // The fetcher's vote revalidates the page, which then shows the subscription the vote made.
    await expect.poll(() => dana.page.getByRole("button", { name: "Unfollow" }).isVisible()).toBe(true);
    await expectAccessible(dana.page);

    // 2. A team member posts a back-dated status update with a note and a resolution link.
    const tariq = await openPage();
    await signInHere(tariq.page, teamMember);
    const record = await postStatusUpdate(tariq.page, { ...first, aboutDate });
    await tariq.page.getByLabel("Link 1 URL").fill(first.linkUrl);
    await tariq.page.getByLabel("Link 1 title").fill(first.linkTitle);
    await record();
    expect(
      await tariq.page
        .getByRole("region", { name: "Status details" })
        .locator("li", { has: tariq.page.locator(`time[datetime="${aboutDate}"]`) })
        .textContent(),
    ).toContain(first.note);

    // 3. Exactly one message reaches the partner, with the date, the team, the note and the link.
    await expect.poll(() => mailsTo(partner, first.note).length, { timeout: 30_000 }).toBeGreaterThan(0);
    // Everyone else's copy of the same update arrives too (the worker is done with it), and
    // the partner still has one.
    await expect
      .poll(() => otherFollowers.filter((email) => mailsTo(email, first.note).length > 0).length, { timeout: 30_000 })
      .toBe(otherFollowers.length);
    const received = mailsTo(partner, first.note);
    expect(received).toHaveLength(1);
    const [mail] = received;
    if (!mail) throw new Error("the message vanished");
    expect(mail.subject).toContain(ask.title);
    expect(mail.subject).toContain(`#${ask.id}`);
    expect(mail.text).toContain(aboutDate);
    expect(mail.text).toContain("EPX");
    expect(mail.text).toContain(first.note);
    expect(mail.text).toContain(first.linkUrl);
    expect(mail.text).toContain(first.linkTitle);
    expect(mail.html || "").toContain(`href="${first.linkUrl}"`);

    // 4. The one-click unsubscribe, as a mail client sends it: no cookie, no Origin.
    const link = unsubscribeLink(mail);
    expect(new URL(link).port).toBe(new URL(server.baseUrl).port);
    expect(new URL(link).pathname).toMatch(/^\/unsubscribe\/[^/]+$/);
    const oneClick = await fetch(link, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "List-Unsubscribe=One-Click",
      redirect: "manual",
    });
    expect(oneClick.status).toBe(200);
    await oneClick.arrayBuffer();

    // 5. The next update reaches the other followers, and not the partner.
    const recordSecond = await postStatusUpdate(tariq.page, second);
    await recordSecond();
    await expect
      .poll(() => otherFollowers.filter((email) => mailsTo(email, second.note).length > 0).length, {
        timeout: 30_000,
      })
      .toBe(otherFollowers.length);
    expect(otherFollowers.length).toBeGreaterThan(0);
    expect(mailsTo(partner, second.note)).toHaveLength(0);
    expect(mailbox.to(partner)).toHaveLength(1);
    await tariq.context.close();

    // 6. In the app the partner finds the first update. She no longer follows the ask, so the
    // second is not hers to hear about, in the app either (recipientsFor reads followers only).
    // Going there in the page she left open revalidates the header, whose new count is announced.
    await dana.page
      .getByRole("banner")
      .getByRole("link", { name: /^Notifications/ })
      .click();
    await dana.page.waitForURL((url) => url.pathname === "/notifications");
    await expect
      .poll(() => dana.page.locator('[aria-live="polite"]', { hasText: /^1 unread notification\.$/ }).count())
      .toBe(1);
    expect(
      await dana.page
        .getByRole("banner")
        .getByRole("link", { name: /^Notifications 1 unread notification$/ })
        .isVisible(),
    ).toBe(true);
    const entries = dana.page.getByRole("listitem").filter({ hasText: ask.title });
    expect(await entries.count()).toBe(1);
    expect(await entries.first().textContent()).toContain(`EPX set the status to ${first.status}`);
    expect(await entries.first().getByText("Unread", { exact: true }).isVisible()).toBe(true);
    expect(await dana.page.getByText(`set the status to ${second.status}`).count()).toBe(0);
    await expectAccessible(dana.page);
    // The ask page agrees: the partner's vote stands, and she no longer follows.
    await dana.page.goto(at(askPath(ask)));
    expect(await dana.page.getByRole("button", { name: "Follow", exact: true }).isVisible()).toBe(true);
    expect(await dana.page.getByRole("button", { name: "Retract vote" }).isVisible()).toBe(true);
    await expectAccessible(dana.page);
    await dana.context.close();

    // Without JavaScript: the list shows the entry, and "Mark all read" works.
    const plain = await openPage({ javaScriptEnabled: false });
    await signInHere(plain.page, partner);
    await plain.page.goto(at("/notifications"));
    const entry = plain.page.getByRole("listitem").filter({ hasText: ask.title });
    expect(await entry.count()).toBe(1);
    expect(await entry.textContent()).toContain(`EPX set the status to ${first.status}`);
    expect(
      await plain.page
        .getByRole("banner")
        .getByRole("link", { name: /^Notifications 1 unread notification$/ })
        .isVisible(),
    ).toBe(true);
    await expectAccessible(plain.page);
    await plain.page.getByRole("button", { name: "Mark all read" }).click();
    await expect
      .poll(() => plain.page.getByRole("status").first().textContent())
      .toBe("All notifications marked read.");
    expect(
      await plain.page
        .getByRole("banner")
        .getByRole("link", { name: /^Notifications$/ })
        .isVisible(),
    ).toBe(true);
    expect(await entry.getByText("Unread", { exact: true }).count()).toBe(0);
    expect(await entry.getByRole("link", { name: ask.title }).getAttribute("href")).toMatch(
      new RegExp(`^${askPath(ask)}#status-update-\\d+$`),
    );
    await expectAccessible(plain.page);
    await plain.context.close();
    // Two browsers and two rounds of the worker: more than the project's minute on a busy machine.
  }, 120_000);
});
