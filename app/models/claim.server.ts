import { and, asc, eq, inArray, isNull, ne, sql } from "drizzle-orm";
import { db, type Tx } from "../../db/client";
import {
  askRevisions,
  asks,
  auditEntries,
  comments,
  events,
  importRuns,
  statusUpdates,
  subscriptions,
  users,
  votes,
} from "../../db/schema";
import { recordAudit } from "./audit.server";
import { recountVotes } from "./vote.server";

// People an import brought in are placeholders: no password, a made-up address, and the
// address the source gave waiting in claimEmail. Whoever proves they own that address (by
// confirming it) becomes the author of everything the placeholder did, and the placeholder goes.

export type Claim = { claimed: number };

// Runs inside the transaction that confirms `email` for `userId`, so an address is never
// confirmed without its history following, nor the other way round.
export function claimPlaceholders(tx: Tx, { userId, email }: { userId: number; email: string }): Claim {
  const found = tx
    .select({ id: users.id, displayName: users.displayName, sourceRef: users.sourceRef })
    .from(users)
    .where(and(eq(users.placeholder, true), eq(users.claimEmail, email.trim().toLowerCase()), ne(users.id, userId)))
    .orderBy(asc(users.id))
    .all();
  for (const placeholder of found) moveHistory(tx, placeholder, userId);
  return { claimed: found.length };
}

// Every column that references users, and what a claim does with it:
// - asks.author_id, comments.author_id, status_updates.author_id, ask_revisions.editor_id:
//   the person's own words and edits; moved, so pages name the one who claimed them.
// - events.actor_id, audit_entries.actor_id: the record of who did what; moved so it keeps
//   naming a person who exists (the foreign keys would also refuse the delete otherwise).
// - import_runs.actor_id: a placeholder cannot sign in to run one, but moving it costs nothing
//   and keeps "who imported" true should one ever be named.
// - votes, subscriptions: the person's votes and follows; merged into the account's own, and
//   the account's own row wins where both exist (its reason, its unfollow).
// - sessions, user_tokens, notification_preferences, topic_subscriptions: a placeholder
//   cannot sign in, so it has none worth keeping; they go with it (on delete cascade).
// - notifications: in-app notices nobody read, about events since the import; they go with
//   it rather than burying the newcomer's first look under old news.
// - outbox.user_id: a placeholder has no confirmed address, so no mail was ever queued for it.
function moveHistory(
  tx: Tx,
  placeholder: { id: number; displayName: string; sourceRef: string | null },
  userId: number,
): void {
  const from = placeholder.id;
  tx.update(asks).set({ authorId: userId }).where(eq(asks.authorId, from)).run();
  tx.update(comments).set({ authorId: userId }).where(eq(comments.authorId, from)).run();
  tx.update(statusUpdates).set({ authorId: userId }).where(eq(statusUpdates.authorId, from)).run();
  tx.update(askRevisions).set({ editorId: userId }).where(eq(askRevisions.editorId, from)).run();
  tx.update(events).set({ actorId: userId }).where(eq(events.actorId, from)).run();
  tx.update(auditEntries).set({ actorId: userId }).where(eq(auditEntries.actorId, from)).run();
  tx.update(importRuns).set({ actorId: userId }).where(eq(importRuns.actorId, from)).run();

  // Asks both had voted on lose one vote: one person, one vote.
  const votedByBoth = tx
    .select({ askId: votes.askId })
    .from(votes)
    .where(
      and(
        eq(votes.userId, from),
        inArray(votes.askId, tx.select({ askId: votes.askId }).from(votes).where(eq(votes.userId, userId))),
      ),
    )
    .all()
    .map((v) => v.askId);
  for (const table of [votes, subscriptions] as const) {
    // Undoing a merge removes the rows it carried over; where the placeholder's own row stood
    // behind the account's carried-over one, the account's now stands on its own.
    tx.update(table)
      .set({ mergedFromAskId: null })
      .where(
        and(
          eq(table.userId, userId),
          sql`${table.mergedFromAskId} IS NOT NULL`,
          inArray(
            table.askId,
            tx
              .select({ askId: table.askId })
              .from(table)
              .where(and(eq(table.userId, from), isNull(table.mergedFromAskId))),
          ),
        ),
      )
      .run();
  }
  tx.run(sql`INSERT OR IGNORE INTO ${votes} (ask_id, user_id, merged_from_ask_id, created_at)
    SELECT ask_id, ${userId}, merged_from_ask_id, created_at FROM ${votes} WHERE user_id = ${from}`);
  tx.run(sql`INSERT OR IGNORE INTO ${subscriptions} (ask_id, user_id, merged_from_ask_id, created_at, reason, unfollowed_at)
    SELECT ask_id, ${userId}, merged_from_ask_id, created_at, reason, unfollowed_at FROM ${subscriptions}
    WHERE user_id = ${from}`);
  tx.delete(votes).where(eq(votes.userId, from)).run();
  tx.delete(subscriptions).where(eq(subscriptions.userId, from)).run();
  for (const askId of votedByBoth) recountVotes(tx, askId);

  tx.delete(users).where(eq(users.id, from)).run();
  // After the delete: source refs are unique, and the placeholder held this one until now.
  // With it, a later import of the same source finds this account instead of adding the person again.
  if (placeholder.sourceRef) {
    tx.update(users)
      .set({ sourceRef: placeholder.sourceRef })
      .where(and(eq(users.id, userId), isNull(users.sourceRef)))
      .run();
  }
  recordAudit(tx, {
    actorId: userId,
    action: "user.claim",
    subjectType: "user",
    subjectId: userId,
    before: { placeholderId: from, name: placeholder.displayName, sourceRef: placeholder.sourceRef },
    after: { votesMergedOnSameAsk: votedByBoth.length },
  });
}

// Turns imported people into ordinary confirmed accounts with the given password: the demo data
// and the bench data load everyone through the importer, and their documented sign-ins must
// work. Placeholders sharing an address become one account. Answers how many accounts it made.
export function activateImportedPeople(
  tx: Tx | undefined,
  { emails, passwordHash, verifiedAt }: { emails: string[]; passwordHash: string; verifiedAt: string },
): number {
  if (!tx) {
    return db().transaction((inner) => activateImportedPeople(inner, { emails, passwordHash, verifiedAt }), {
      behavior: "immediate",
    });
  }
  let activated = 0;
  for (const email of new Set(emails.map((e) => e.trim().toLowerCase()))) {
    // An account already using the address keeps it; the placeholder waits for it to be claimed.
    if (tx.select({ id: users.id }).from(users).where(eq(users.email, email)).get()) continue;
    const first = tx
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.placeholder, true), eq(users.claimEmail, email)))
      .orderBy(asc(users.id))
      .get();
    if (!first) continue;
    tx.update(users)
      .set({ email, placeholder: false, claimEmail: null, passwordHash, emailVerifiedAt: verifiedAt })
      .where(eq(users.id, first.id))
      .run();
    claimPlaceholders(tx, { userId: first.id, email });
    activated += 1;
  }
  return activated;
}
