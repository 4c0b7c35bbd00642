import { describe, expect, it } from "vitest";
import { listAudit } from "~/models/audit.server";
import { enqueueMail, getMail, listMail } from "~/models/outbox.server";
import * as mailList from "~/routes/admin.mail";
import * as mailPage from "~/routes/admin.mail_.$id";
import * as mailHtml from "~/routes/admin.mail_.$id_.html";
import { db } from "../../db/client";
import { securityHeaders } from "../../server/security-headers";
import { loaded, locationOf, noticeAfter, replyData, route, signedIn, statusOf } from "./helpers";
import { testMailbox } from "./mail";

const mailbox = testMailbox();

let counter = 0;

// A message as the outbox holds it; the newest row is the one just written.
function queueMail(to: string, subject = "Completed: A customer-facing page that explains CPOR and POE"): number {
  counter += 1;
  enqueueMail(db(), {
    purpose: "notification",
    userId: null,
    to,
    subject,
    text: `The Program team completed this ask (${counter}).\n\nhttps://aka.ms/about-cpor`,
    html: '<p style="color:#1d4ed8">Completed</p><script>parent.document.title = "owned"</script>',
    headers: { "List-Unsubscribe": "<https://asks.example.com/unsubscribe/abc.def>" },
  });
  const newest = listMail({ page: 1 }).rows[0];
  if (!newest) throw new Error("queueMail: the outbox is empty");
  return newest.id;
}

type ListData = Awaited<ReturnType<typeof mailList.loader>>;
type PageData = Awaited<ReturnType<typeof mailPage.loader>>;

describe("/admin/mail", () => {
  it("is for admins only: a team member gets 403, a visitor is sent to sign in", async () => {
    const id = queueMail("someone@example.com");
    const { cookie } = await signedIn("team", "Program team");
    expect(statusOf(await route(mailList, "/admin/mail").load(cookie))).toBe(403);
    expect(statusOf(await route(mailPage, `/admin/mail/${id}`, { id: String(id) }).load(cookie))).toBe(403);
    expect(statusOf(await route(mailHtml, `/admin/mail/${id}/html`, { id: String(id) }).load(cookie))).toBe(403);
    expect(
      statusOf(await route(mailPage, `/admin/mail/${id}`, { id: String(id) }).post({ intent: "retry" }, cookie)),
    ).toBe(403);
    expect(locationOf(await route(mailList, "/admin/mail").load())).toMatch(/^\/signin\?redirectTo=/);
  });

  it("counts messages by state, filters by state, and says that mail is kept here without SMTP_URL", async () => {
    const { cookie } = await signedIn("admin");
    const refused = `gone-${Date.now()}@example.com`;
    mailbox.refuse.add(refused);
    queueMail(`partner-${Date.now()}@example.com`);
    const deadId = queueMail(refused, "A message that cannot be delivered");
    await mailbox.deliver();
    queueMail(`later-${Date.now()}@example.com`);

    const all: ListData = await loaded(route(mailList, "/admin/mail").load(cookie));
    expect(all.kept).toBe(true);
    expect(all.counts.dead).toBeGreaterThanOrEqual(1);
    expect(all.counts.sent).toBeGreaterThanOrEqual(1);
    expect(all.counts.pending).toBeGreaterThanOrEqual(1);
    expect(all.total).toBe(all.counts.pending + all.counts.sent + all.counts.dead);

    const dead: ListData = await loaded(route(mailList, "/admin/mail?state=dead").load(cookie));
    expect(dead.tab).toBe("dead");
    expect(dead.rows.every((r) => r.state === "dead")).toBe(true);
    const row = dead.rows.find((r) => r.id === deadId);
    expect(row?.toAddress).toBe(refused);
    expect(row?.lastError).toMatch(/No such mailbox/);
    expect(dead.total).toBe(all.counts.dead);
  });

  it("shows a message with its headers and text, and its HTML from its own address", async () => {
    const { cookie } = await signedIn("admin");
    const id = queueMail(`reader-${Date.now()}@example.com`);
    const page: PageData = await loaded(route(mailPage, `/admin/mail/${id}`, { id: String(id) }).load(cookie));
    expect(page.from).toBe("Asklog <asklog@localhost>");
    expect(page.mail.subject).toBe("Completed: A customer-facing page that explains CPOR and POE");
    expect(page.mail.text).toContain("https://aka.ms/about-cpor");
    expect(page.headers).toContainEqual(["List-Unsubscribe", "<https://asks.example.com/unsubscribe/abc.def>"]);

    const html = await route(mailHtml, `/admin/mail/${id}/html`, { id: String(id) }).load(cookie);
    if (!(html instanceof Response)) throw new Error("expected the HTML part as a response");
    expect(html.headers.get("Content-Type")).toBe("text/html; charset=utf-8");
    expect(await html.text()).toContain('<p style="color:#1d4ed8">Completed</p>');

    // The edge serves that address under a policy of its own: inline styles, no scripts, a sandbox,
    // framed by our pages only; every other page keeps the strict policy and cannot be framed.
    const frame = securityHeaders("n", `/admin/mail/${id}/html`);
    expect(frame["Content-Security-Policy"]).toBe(
      "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'; base-uri 'none'; form-action 'none'; sandbox",
    );
    expect(frame["X-Frame-Options"]).toBe("SAMEORIGIN");
    const pageHeaders = securityHeaders("n", `/admin/mail/${id}`);
    expect(pageHeaders["Content-Security-Policy"]).toContain("style-src 'self'");
    expect(pageHeaders["X-Frame-Options"]).toBe("DENY");
  });

  it("answers 404 for a message that does not exist or an id that is not one", async () => {
    const { cookie } = await signedIn("admin");
    for (const id of ["999999", "abc"]) {
      expect(statusOf(await route(mailPage, `/admin/mail/${id}`, { id }).load(cookie))).toBe(404);
      expect(statusOf(await route(mailHtml, `/admin/mail/${id}/html`, { id }).load(cookie))).toBe(404);
    }
  });

  it("sends a failed message again on request, with an audit entry, and it arrives", async () => {
    const { user: admin, cookie } = await signedIn("admin");
    const address = `back-${Date.now()}@example.com`;
    mailbox.refuse.add(address);
    const id = queueMail(address, "Retried: the CPOR page");
    await mailbox.deliver();
    expect(getMail(id)?.state).toBe("dead");

    const page = route(mailPage, `/admin/mail/${id}`, { id: String(id) });
    const result = await page.post({ intent: "retry" }, cookie);
    expect(locationOf(result)).toBe(`/admin/mail/${id}`);
    expect(await noticeAfter(result)).toBe("The message will be sent again.");
    expect(getMail(id)).toMatchObject({ state: "pending", attempts: 0 });
    const { entries } = listAudit({ action: "mail.retry", page: 1 });
    expect(entries.some((e) => e.subjectId === id && e.actor === admin.displayName)).toBe(true);

    // A message that is not dead cannot be retried again.
    const again = await page.post({ intent: "retry" }, cookie);
    expect(statusOf(again)).toBe(409);
    expect(replyData<{ errors: { form?: string } }>(again).errors.form).toMatch(/failed for good/);

    mailbox.refuse.delete(address);
    await mailbox.deliver();
    expect(getMail(id)?.state).toBe("sent");
    expect(mailbox.to(address).map((m) => m.subject)).toEqual(["Retried: the CPOR page"]);
  });
});
