import { describe, expect, it } from "vitest";
import { createApiToken, revokeApiToken } from "~/models/api-token.server";
import { addComment, deleteComment, setCommentHidden } from "~/models/comment.server";
import { organizationFor, renameOrganization } from "~/models/organization.server";
import { getStatusBySlug } from "~/models/status.server";
import { recordStatusUpdate } from "~/models/status-update.server";
import { createTeam } from "~/models/team.server";
import { createWebhookEndpoint, deleteWebhookEndpoint } from "~/models/webhook.server";
import * as auditPage from "~/routes/admin.audit";
import { db } from "../../db/client";
import { loaded, makeAsk, makeUser, ok, route, signedIn } from "./helpers";

describe("the audit log page", () => {
  it("names the statuses and teams an entry changed, and says where each subject is now", async () => {
    const admin = await signedIn("admin");
    const member = await makeUser();
    const ask = makeAsk(member.id, "Audit log names the new status");
    const open = getStatusBySlug("open");
    const planned = getStatusBySlug("planned");
    if (!open || !planned) throw new Error("the built-in statuses are missing");
    const team = { name: `Audit names team ${Date.now()}` };
    const { id: teamId } = ok(createTeam({ name: team.name, actorId: admin.user.id }));
    ok(
      recordStatusUpdate({
        askId: ask.id,
        toStatusId: planned.id,
        teamId,
        note: "Planned for next year.",
        links: [],
        actorId: admin.user.id,
      }),
    );
    const shown = ok(addComment({ askId: ask.id, body: "Spam, hidden but kept", authorId: member.id }));
    ok(setCommentHidden({ commentId: shown.id, askId: ask.id, reason: "Spam", actorId: admin.user.id }));
    const gone = ok(addComment({ askId: ask.id, body: "Spam, then deleted", authorId: member.id }));
    ok(setCommentHidden({ commentId: gone.id, askId: ask.id, reason: "Spam", actorId: admin.user.id }));
    ok(deleteComment({ commentId: gone.id, askId: ask.id, authorId: member.id }));

    const { entries } = await loaded(route(auditPage, `/admin/audit?actor=${admin.user.id}`).load(admin.cookie));
    const [hiddenGone, hiddenShown, update] = entries;
    expect(update).toMatchObject({
      action: "status_update.create",
      subject: { name: "Audit log names the new status", ask: { id: ask.id, slug: ask.slug }, exists: true },
    });
    expect(update?.changes).toEqual(
      expect.arrayContaining([
        { field: "status", before: open.name, after: planned.name },
        { field: "team", before: null, after: team.name },
        { field: "statusUpdate.toStatus", before: null, after: planned.name },
        { field: "statusUpdate.note", before: null, after: "Planned for next year." },
      ]),
    );
    // No id is left where a name can be shown.
    expect(update?.changes.map((c) => c.field).filter((f) => f.endsWith("Id"))).toEqual([]);

    expect(hiddenShown).toMatchObject({
      subjectType: "comment",
      subjectId: shown.id,
      subject: { ask: { id: ask.id }, exists: true },
    });
    // A deleted comment's anchor is gone from its thread; its ask is still there to link to.
    expect(hiddenGone).toMatchObject({
      subjectType: "comment",
      subjectId: gone.id,
      subject: { ask: { id: ask.id }, exists: false },
    });
  });

  it("names an organization an entry changed, with a link to edit it", async () => {
    const admin = await signedIn("admin");
    const id = db().transaction((tx) => organizationFor(tx, `Audit org ${Date.now()}`));
    ok(renameOrganization({ id, name: `Renamed audit org ${id}`, actorId: admin.user.id }));
    const { entries } = await loaded(route(auditPage, `/admin/audit?actor=${admin.user.id}`).load(admin.cookie));
    expect(entries[0]).toMatchObject({
      subjectType: "organization",
      subjectId: id,
      subject: { name: `Renamed audit org ${id}`, exists: true },
    });
  });

  it("names an API token with its owner and a webhook by its address, and says when the webhook is gone", async () => {
    const admin = await signedIn("admin");
    const owner = await makeUser();
    db().$client.prepare("UPDATE users SET display_name = 'Dana Whitfield' WHERE id = ?").run(owner.id);
    const token = ok(
      createApiToken({
        name: "ci-sync",
        scopes: ["read"],
        expiresInDays: 30,
        teamScopeAllowed: false,
        expiryRequired: false,
        userId: owner.id,
      }),
    );
    ok(revokeApiToken({ tokenId: token.id, actorId: admin.user.id }));
    const url = `https://hooks.example.com/asklog/${Date.now()}`;
    const kept = ok(createWebhookEndpoint({ url, description: "", events: ["ask.created"], actorId: admin.user.id }));
    const gone = ok(
      createWebhookEndpoint({ url: `${url}/old`, description: "", events: ["ask.created"], actorId: admin.user.id }),
    );
    ok(deleteWebhookEndpoint({ endpointId: gone.id, actorId: admin.user.id }));

    const { entries } = await loaded(route(auditPage, `/admin/audit?actor=${admin.user.id}`).load(admin.cookie));
    const about = (type: string, id: number) => entries.find((e) => e.subjectType === type && e.subjectId === id);
    expect(about("token", token.id)).toMatchObject({
      action: "token.revoke",
      subject: { name: "ci-sync (Dana Whitfield)", exists: true },
    });
    expect(about("webhook", kept.id)).toMatchObject({ subject: { name: url, exists: true } });
    expect(about("webhook", gone.id)).toMatchObject({ subject: { name: null, exists: false } });
  });
});
