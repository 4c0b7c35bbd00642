import Database from "better-sqlite3";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createAsk } from "~/models/ask.server";
import { listCategories } from "~/models/category.server";
import { recordEvent } from "~/models/event.server";
import { enqueueMail } from "~/models/outbox.server";
import { follow } from "~/models/subscription.server";
import { activeUserByEmail } from "~/models/user.server";
import { askPath } from "~/slug";
import { closeDb, db } from "../../db/client";
import { demoPassword } from "../../db/seed";
import { at } from "../../scripts/lists";
import { browserForFile, expectAccessible, signIn } from "./browser";

// A demo partner hears about an ask they follow in the app: the header's count, the list, an
// entry opened (and marked read) and all marked read, with JavaScript and without. An admin
// reads a message on /admin/mail as its recipient would, and sends a failed one again.

const openPage = browserForFile();
const partnerEmail = "dana@contoso.example";
const stamp = Date.now();
const modes = [
  ["with JavaScript", true],
  ["without JavaScript", false],
] as const;
// Two status updates on a fresh ask the partner follows, made by the test that reads them: another
// test's "Mark all read" would mark them read too. Returns the ask and where its newest update is.
function newsFor(javaScriptEnabled: boolean): { title: string; href: string } {
  const partner = activeUserByEmail(partnerEmail);
  const teamMember = activeUserByEmail("priya@asklog.example");
  if (!partner || !teamMember) throw new Error("the demo users are missing");
  const title = `Partners hear when their ask moves ${javaScriptEnabled ? "js" : "nojs"} ${stamp}`;
  const ask = createAsk({ title, body: "Tell us.", categoryId: at(listCategories(), 0).id, authorId: teamMember.id });
  if (!ask.ok) throw new Error(`ask refused: ${ask.reason}`);
  follow({ askId: ask.id, userId: partner.id });
  for (const [statusUpdateId, status] of [
    [1, "Planned"],
    [2, "Completed"],
  ] as const) {
    db().transaction((tx) =>
      recordEvent(tx, {
        kind: "status_update",
        askId: ask.id,
        actorId: teamMember.id,
        data: {
          statusUpdateId,
          date: "2021-07-23",
          team: "Program team",
          status,
          fromStatus: null,
          note: "",
          links: [],
        },
      }),
    );
  }
  return { title, href: `${askPath(ask)}#status-update-2` };
}
const mailSubject = `Completed: A customer-facing page about CPOR ${stamp}`;
// One failed message per mode, each sent again once.
const deadSubject = (javaScriptEnabled: boolean) =>
  `Planned: a message that could not be delivered ${javaScriptEnabled ? "js" : "nojs"} ${stamp}`;

beforeAll(() => {
  process.env.DATABASE_PATH = inject("databasePath");
  const partner = activeUserByEmail(partnerEmail);
  if (!partner) throw new Error("the demo partner is missing");
  enqueueMail(db(), {
    purpose: "notification",
    userId: partner.id,
    to: partnerEmail,
    subject: mailSubject,
    text: "The Program team completed this ask.\n\nhttps://aka.ms/about-cpor",
    html: '<p style="color:#1d4ed8">The Program team completed this ask.</p>',
    headers: { "List-Unsubscribe": "<https://asks.example.com/unsubscribe/abc.def>" },
  });
  // Messages the SMTP server refused for good: written as the worker leaves one, so the running
  // server's own worker does not send them first.
  const database = new Database(inject("databasePath"));
  const insertDead = database.prepare(
    `INSERT INTO outbox (purpose, to_address, subject, text_body, html_body, state, attempts, last_error)
     VALUES ('notification', 'gone@contoso.example', ?, 'Planned.', '<p>Planned.</p>', 'dead', 1, '550 No such mailbox')`,
  );
  for (const [, javaScriptEnabled] of modes) insertDead.run(deadSubject(javaScriptEnabled));
  database.close();
});
afterAll(() => closeDb());

// The header's link by the name a screen reader reads (the phone menu's copy is hidden at this width).
const notificationsLink = (page: Page, name: string | RegExp) => page.getByRole("banner").getByRole("link", { name });

async function noSidewaysScroll(page: Page, path: string) {
  await page.setViewportSize({ width: 320, height: 640 });
  await page.goto(path);
  expect(
    await page.evaluate(() => document.scrollingElement?.scrollWidth ?? Number.POSITIVE_INFINITY),
  ).toBeLessThanOrEqual(320);
  await page.setViewportSize({ width: 1280, height: 800 });
}

describe("notifications", () => {
  for (const [mode, javaScriptEnabled] of modes) {
    it(`a partner sees the count and the list, opens an entry and marks all read (${mode})`, async () => {
      const ours = newsFor(javaScriptEnabled);
      const { page, context } = await openPage({ javaScriptEnabled });
      try {
        await page.setViewportSize({ width: 1280, height: 800 });
        await signIn(page, partnerEmail, demoPassword);
        // The worker in the server fans the events out on its own schedule.
        const entry = page.getByRole("listitem").filter({ hasText: ours.title });
        await expect
          .poll(
            async () => {
              await page.goto("/notifications");
              return entry.count();
            },
            { timeout: 20_000 },
          )
          .toBe(2);
        await expect
          .poll(() => notificationsLink(page, /^Notifications \d+ unread notifications?$/).isVisible())
          .toBe(true);
        expect(await entry.first().getByText("Unread", { exact: true }).isVisible()).toBe(true);
        expect(await entry.first().textContent()).toContain("Program team set the status to Completed");
        await expectAccessible(page);
        await noSidewaysScroll(page, "/notifications");

        // Opening the newest goes to the ask at that status update and marks it read.
        await entry.first().getByRole("button", { name: ours.title }).click();
        await page.waitForURL((url) => `${url.pathname}${url.hash}` === ours.href);
        await expectAccessible(page);
        await page.goto("/notifications");
        expect(await entry.first().getByText("Unread", { exact: true }).count()).toBe(0);
        expect(await entry.first().getByRole("link", { name: ours.title }).getAttribute("href")).toBe(ours.href);
        expect(await entry.nth(1).getByText("Unread", { exact: true }).count()).toBe(1);

        await page.getByRole("button", { name: "Mark all read" }).click();
        await expect.poll(() => page.getByRole("status").first().textContent()).toBe("All notifications marked read.");
        await expect.poll(() => notificationsLink(page, /^Notifications$/).isVisible()).toBe(true);
        expect(await page.getByText("Unread", { exact: true }).count()).toBe(0);
        expect(await page.getByRole("button", { name: "Mark all read" }).count()).toBe(0);
        await expectAccessible(page);

        await page.goto("/my-asks?tab=following");
        expect(await page.getByRole("link", { name: ours.title }).isVisible()).toBe(true);
        await expectAccessible(page);
      } finally {
        await context.close();
      }
    });
  }
});

describe("/admin/mail", () => {
  for (const [mode, javaScriptEnabled] of modes) {
    it(`shows an admin the mail, a message as its recipient sees it, and sends a failed one again (${mode})`, async () => {
      const admin = inject("admin");
      const { page, context } = await openPage({ javaScriptEnabled });
      try {
        await signIn(page, admin.email, admin.password);
        await page.goto("/admin");
        await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Mail" }).click();
        await page.waitForURL(/\/admin\/mail$/);
        await expect.poll(() => page.getByText(/mail is not sent anywhere/).isVisible()).toBe(true);
        await expectAccessible(page);
        await noSidewaysScroll(page, "/admin/mail");

        await page.getByRole("link", { name: mailSubject }).click();
        await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe(mailSubject);
        await expect.poll(() => page.getByText("List-Unsubscribe", { exact: true }).isVisible()).toBe(true);
        expect(await page.getByText("<https://asks.example.com/unsubscribe/abc.def>").isVisible()).toBe(true);
        const frame = page.frameLocator('iframe[title="The HTML part of the message, as its recipient sees it"]');
        await expect
          .poll(() => frame.getByText("The Program team completed this ask.").isVisible(), { timeout: 10_000 })
          .toBe(true);
        await expectAccessible(page);

        await page.goto("/admin/mail?state=dead");
        await page.getByRole("link", { name: deadSubject(javaScriptEnabled) }).click();
        await expect.poll(() => page.getByText("550 No such mailbox").isVisible()).toBe(true);
        await expectAccessible(page);
        await page.getByRole("button", { name: "Send again" }).click();
        await expect.poll(() => page.getByRole("status").first().textContent()).toBe("The message will be sent again.");
        expect(await page.getByRole("button", { name: "Send again" }).count()).toBe(0);
        await expectAccessible(page);
      } finally {
        await context.close();
      }
    });
  }
});
