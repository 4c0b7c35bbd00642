import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
  type SerializeFrom,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { AskRevisions, EditorName } from "~/components/ask-revisions";
import { CommentForm, CommentList, type CommentRefusal } from "~/components/comment-list";
import { OrganizationVotes } from "~/components/organization-votes";
import { authorOf, PersonName } from "~/components/person-name";
import { ResolutionLink } from "~/components/resolution-link";
import { StatusBadge } from "~/components/status-badge";
import { StatusTimeline } from "~/components/status-timeline";
import { StatusUpdateForm, statusUpdatePath } from "~/components/status-update-form";
import { TeamTools } from "~/components/team-tools";
import { Time } from "~/components/time";
import { VoteButton } from "~/components/vote-button";
import { isResolved } from "~/domain";
import { type AskDetail, getAsk } from "~/models/ask.server";
import {
  addComment,
  deleteComment,
  editComment,
  listCommentsFor,
  restoreComment,
  setCommentHidden,
  setOfficialResponse,
  undoDeleteMs,
} from "~/models/comment.server";
import { type MergeResult, mergeAsk, unmergeAsk } from "~/models/merge.server";
import { setAskHidden, setCommentsLocked, setUserBlocked } from "~/models/moderation.server";
import { canSeeOrganizationVotes } from "~/models/site-setting.server";
import { listStatusUpdates, statusUpdateFormData } from "~/models/status-update.server";
import { follow, isFollowing, unfollow } from "~/models/subscription.server";
import type { User } from "~/models/user.server";
import { castVote, hasVoted, retractVote, votesByOrganization } from "~/models/vote.server";
import { askEditRefusal, revisionDiffs } from "~/services/ask-edit.server";
import { handleIntents } from "~/services/form-action.server";
import { renderMarkdown } from "~/services/markdown.server";
import { redirectWithNotice } from "~/services/notice.server";
import { can } from "~/services/permission.server";
import { countUserAction, retryAfterHeaders } from "~/services/rate-limit.server";
import { similarAsks } from "~/services/search-query.server";
import { getUser } from "~/services/session.server";
import { askPath, parseAskParam } from "~/slug";
import { blockSchema, hideAskSchema, mergeConfirmSchema, voteSchema } from "~/validation/ask";
import { commentEditSchema, commentRowSchema, commentSchema, hideCommentSchema } from "~/validation/comment";
import { parseId, parseSearchText } from "~/validation/fields";
import { intentsFor, refuse } from "~/validation/intent";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.ask.title} · Asklog` : "Ask not found · Asklog" },
  ...(data
    ? [
        {
          tagName: "link",
          rel: "alternate",
          type: "application/atom+xml",
          title: `Updates on ${data.ask.title}`,
          href: `${askPath(data.ask)}/feed.atom`,
        },
      ]
    : []),
];

// Hidden asks are gone for everyone who may not moderate them.
function findAsk(param: string | undefined, viewer: User | undefined): AskDetail {
  const id = parseAskParam(param);
  const ask = id ? getAsk(id) : undefined;
  if (!ask || (ask.hiddenAt && !can(viewer, "ask:moderate"))) throw notFound("Ask");
  return ask;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await getUser(request);
  const ask = findAsk(params.ask, user);
  // Old or mistyped slugs still find the ask; the address bar gets the current one.
  if (params.ask !== `${ask.id}-${ask.slug}`) throw redirect(askPath(ask), 301);
  const canModerate = can(user, "comment:moderate");
  const canTriage = can(user, "ask:triage");
  const url = new URL(request.url);
  const mergeQuery = can(user, "ask:merge") ? parseSearchText(url.searchParams.get("merge")) : "";
  const comments = listCommentsFor(ask.id, { userId: user?.id, seesHidden: canModerate });
  // The comment this reader just deleted, while its deletion can still be undone.
  const deletedId = parseId(url.searchParams.get("deleted"));
  const justDeleted = comments.find(
    (c) => c.id === deletedId && c.deleted && c.mine && Date.now() - Date.parse(c.deletedAt ?? "") <= undoDeleteMs,
  );
  return {
    ask: { ...ask, bodyHtml: renderMarkdown(ask.body) },
    // Each earlier version, newest first, as a diff against the version that replaced it.
    revisions: ask.editedAt ? revisionDiffs(ask) : [],
    statusUpdates: listStatusUpdates(ask.id).map((u) => ({
      ...u,
      noteHtml: renderMarkdown(u.note),
      mine: canTriage && u.authorId === user?.id,
    })),
    statusUpdateForm: user && canTriage ? statusUpdateFormData(ask, user.teamId) : null,
    undoDelete: justDeleted ? { commentId: justDeleted.id } : null,
    merge: {
      query: mergeQuery,
      // Asks whose titles match, to merge into (this one excepted).
      candidates: mergeQuery
        ? similarAsks(mergeQuery, { limit: 8 })
            .filter((a) => a.id !== ask.id)
            .map((a) => ({ id: a.id, title: a.title, status: a.status.name }))
        : [],
    },
    comments: comments.map(({ text, ...c }) => ({
      ...c,
      bodyHtml: text ? renderMarkdown(text) : "",
    })),
    voted: user ? hasVoted(ask.id, user.id) : false,
    organizationVotes: canSeeOrganizationVotes(user) ? votesByOrganization(ask.id) : null,
    following: user ? isFollowing(ask.id, user.id) : false,
    viewer: {
      signedIn: Boolean(user),
      canVote: can(user, "vote:cast"),
      canComment: can(user, "comment:create"),
      canFollow: can(user, "ask:follow"),
      canModerate,
      canMarkOfficial: can(user, "comment:official"),
      canBlock: can(user, "user:block"),
      canMerge: can(user, "ask:merge"),
      canModerateAsk: can(user, "ask:moderate"),
      canEdit: !askEditRefusal(ask, user),
      // A hidden ask is in admin exports only.
      canExport: !ask.hiddenAt || can(user, "export:site"),
      blocked: Boolean(user?.blocked),
    },
  };
}

// Passes a refused vote's or comment's Retry-After on to the browser.
export const headers = retryAfterHeaders;

const notFound = (what: string) => data(`${what} not found`, { status: 404 });
const back = (ask: AskDetail, hash = "") => redirect(`${askPath(ask)}${hash}`);

// What the person reads when a merge is refused.
function mergeRefusal(
  result: Exclude<MergeResult, { ok: true } | { reason: "target-closed" }>,
  targetId: number,
): string {
  switch (result.reason) {
    case "not-found":
      return "That ask no longer exists.";
    case "target-not-found":
      return `There is no ask number ${targetId}.`;
    case "self":
      return "An ask cannot be merged into itself.";
    case "already-merged":
      return "This ask is already merged. Undo that merge first.";
    case "target-merged":
      return `Ask ${targetId} is itself merged into ask ${result.duplicateOfId}; merge into that one.`;
    case "has-merged-asks":
      return "Other asks are merged into this one. Undo those merges first.";
  }
}

const intent = intentsFor<{ ask: AskDetail }>();

function voteIntent(change: typeof castVote) {
  return intent({
    permission: "vote:cast",
    schema: voteSchema,
    run: ({ ask, user, input }) => {
      const limit = countUserAction("vote", user.id);
      if (!limit.ok) return refuse({ form: limit.message }, limit.init);
      const result = change({ askId: ask.id, userId: user.id });
      if (result.ok) return input.returnTo ? redirect(`${input.returnTo}#ask-${ask.id}`) : back(ask);
      if (result.reason === "not-found") throw notFound("Ask");
      return refuse({ form: "This ask is closed to new votes." }, 409);
    },
  });
}

function officialIntent(official: boolean) {
  return intent({
    permission: "comment:official",
    schema: commentRowSchema,
    run: ({ ask, user, input }) => {
      const result = setOfficialResponse({ commentId: input.commentId, askId: ask.id, official, actorId: user.id });
      if (result.ok) return back(ask, `#comment-${input.commentId}`);
      if (result.reason === "not-found") throw notFound("Comment");
      return refuse({ form: "Only a team member's comment can be an official response." });
    },
  });
}

function blockIntent(blocked: boolean) {
  return intent({
    permission: "user:block",
    schema: blockSchema,
    run: ({ ask, user, input }) => {
      const result = setUserBlocked({ userId: input.userId, blocked, actorId: user.id });
      if (result.ok) return back(ask, "#comments");
      if (result.reason === "not-found") throw notFound("User");
      return refuse({ form: "You cannot block yourself." });
    },
  });
}

// Back to the ask once a change is made. The only refusal left is "not-found": the ask
// was found a moment ago, so it or its comment was deleted meanwhile (or, for a
// comment, is someone else's).
function thenBack(result: { ok: boolean }, ask: AskDetail, hash = "", what = "Ask") {
  if (!result.ok) throw notFound(what);
  return back(ask, hash);
}

// Each intent names the permission it needs; handleIntents checks it before anything
// else, so a crafted form cannot reach a handler it may not use.
const intents = () => ({
  vote: voteIntent(castVote),
  unvote: voteIntent(retractVote),
  follow: intent({
    permission: "ask:follow",
    run: ({ ask, user }) => {
      follow({ askId: ask.id, userId: user.id });
      return back(ask);
    },
  }),
  unfollow: intent({
    permission: "ask:follow",
    run: ({ ask, user }) => {
      unfollow({ askId: ask.id, userId: user.id });
      return back(ask);
    },
  }),
  comment: intent({
    permission: "comment:create",
    schema: commentSchema,
    run: ({ ask, user, input }) => {
      const limit = countUserAction("comment", user.id);
      if (!limit.ok) return refuse({ body: limit.message }, limit.init);
      const bypassLock = can(user, "comment:moderate");
      const result = addComment({ askId: ask.id, body: input.body, bypassLock, authorId: user.id });
      if (result.ok) return back(ask, `#comment-${result.id}`);
      if (result.reason === "not-found") throw notFound("Ask");
      return refuse({ body: "Comments on this ask are locked." }, 409);
    },
  }),
  "edit-comment": intent({
    permission: "comment:create",
    schema: commentEditSchema,
    run: ({ ask, user, input }) => {
      const limit = countUserAction("comment", user.id);
      if (!limit.ok) return refuse({ body: limit.message }, limit.init);
      const result = editComment({ ...input, askId: ask.id, authorId: user.id });
      return thenBack(result, ask, `#comment-${input.commentId}`, "Comment");
    },
  }),
  // The next page offers to undo: it names the deleted comment in the address.
  "delete-comment": intent({
    permission: "comment:delete-own",
    schema: commentRowSchema,
    run: ({ ask, user, input }) =>
      thenBack(
        deleteComment({ ...input, askId: ask.id, authorId: user.id }),
        ask,
        `?deleted=${input.commentId}#comments`,
        "Comment",
      ),
  }),
  "restore-comment": intent({
    permission: "comment:delete-own",
    schema: commentRowSchema,
    run: ({ ask, user, input }) => {
      const result = restoreComment({ commentId: input.commentId, askId: ask.id, userId: user.id });
      if (result.ok) return redirectWithNotice(`${askPath(ask)}#comment-${input.commentId}`, "Comment restored.");
      if (result.reason === "not-found") throw notFound("Comment");
      return refuse({ form: "Too late to undo: the comment was deleted more than 10 seconds ago." }, 409);
    },
  }),
  official: officialIntent(true),
  unofficial: officialIntent(false),
  "hide-comment": intent({
    permission: "comment:moderate",
    schema: hideCommentSchema,
    run: ({ ask, user, input }) => {
      const result = setCommentHidden({ ...input, askId: ask.id, actorId: user.id });
      return thenBack(result, ask, `#comment-${input.commentId}`, "Comment");
    },
  }),
  "unhide-comment": intent({
    permission: "comment:moderate",
    schema: commentRowSchema,
    run: ({ ask, user, input }) => {
      const result = setCommentHidden({ ...input, askId: ask.id, reason: null, actorId: user.id });
      return thenBack(result, ask, `#comment-${input.commentId}`, "Comment");
    },
  }),
  "hide-ask": intent({
    permission: "ask:moderate",
    schema: hideAskSchema,
    run: ({ ask, user, input }) =>
      thenBack(setAskHidden({ askId: ask.id, reason: input.reason, actorId: user.id }), ask),
  }),
  "unhide-ask": intent({
    permission: "ask:moderate",
    run: ({ ask, user }) => thenBack(setAskHidden({ askId: ask.id, reason: null, actorId: user.id }), ask),
  }),
  lock: intent({
    permission: "ask:moderate",
    run: ({ ask, user }) =>
      thenBack(setCommentsLocked({ askId: ask.id, locked: true, actorId: user.id }), ask, "#comments"),
  }),
  unlock: intent({
    permission: "ask:moderate",
    run: ({ ask, user }) =>
      thenBack(setCommentsLocked({ askId: ask.id, locked: false, actorId: user.id }), ask, "#comments"),
  }),
  merge: intent({
    permission: "ask:merge",
    schema: mergeConfirmSchema,
    run: ({ ask, user, input }) => {
      const confirmClosed = input.confirmClosed === "on";
      const result = mergeAsk({ askId: ask.id, targetId: input.targetId, confirmClosed, actorId: user.id });
      if (!result.ok && result.reason === "target-closed") {
        return refuse({ confirmClosed: `That ask is ${result.statusName}; confirm to merge into a closed ask.` });
      }
      if (!result.ok) return refuse({ targetId: mergeRefusal(result, input.targetId) });
      return back(ask);
    },
  }),
  unmerge: intent({
    permission: "ask:merge",
    run: ({ ask, user }) => {
      const result = unmergeAsk({ askId: ask.id, actorId: user.id });
      if (result.ok) return back(ask);
      if (result.reason === "not-found") throw notFound("Ask");
      return refuse({ form: "This ask is not merged." }, 409);
    },
  }),
  "block-user": blockIntent(true),
  "unblock-user": blockIntent(false),
});

export async function action({ request, params }: ActionFunctionArgs) {
  return handleIntents(request, intents(), { context: (user) => ({ ask: findAsk(params.ask, user) }) });
}

export default function AskPage() {
  const {
    ask,
    revisions,
    statusUpdates,
    statusUpdateForm,
    comments,
    undoDelete,
    merge,
    voted,
    following,
    organizationVotes,
    viewer,
  } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const [params] = useSearchParams();
  const posted = reply?.intent === "comment" ? reply : undefined;
  // A refused edit comes back to an address without ?edit=: its values say which comment it was.
  const refusedEdit = reply?.intent === "edit-comment" ? reply : undefined;
  const editing = parseId(params.get("edit")) ?? parseId(refusedEdit?.values.commentId) ?? 0;
  const closedReason = ask.duplicateOf
    ? "Voting is closed: this ask was merged. Vote on the ask it was merged into."
    : ask.status.acceptsVotes
      ? undefined
      : `Voting is closed: this ask is ${ask.status.name.toLowerCase()}.`;

  const completed = isResolved(ask.status);
  const official = comments.find((c) => c.isOfficial && c.bodyHtml);

  return (
    <article aria-labelledby="ask-title">
      {ask.hiddenAt ? (
        <p className="banner" role="status">
          Hidden from partners and visitors{ask.hiddenReason ? `: ${ask.hiddenReason}` : ""}.
        </p>
      ) : null}
      {ask.duplicateOf ? (
        <p className="banner">
          This ask was merged into <Link to={askPath(ask.duplicateOf)}>{ask.duplicateOf.title}</Link>. Its votes and
          followers count there.
        </p>
      ) : null}
      <h1 id="ask-title">{ask.title}</h1>
      <div className="ask-header">
        <div>
          {/* Each item is its own flex item: the gap separates them, so no "·" can wrap onto a line of its own. */}
          <p className="meta-line">
            <StatusBadge status={ask.status} />
            <span>{ask.category}</span>
            {ask.team ? <span>{ask.team}</span> : null}
            <span>#{ask.id}</span>
            <span>
              Suggested by <PersonName person={authorOf(ask)} />
            </span>
            <span>
              Filed <Time value={ask.createdAt} />
            </span>
            {ask.sourceUrl ? (
              <span>
                Imported from <a href={ask.sourceUrl}>{new URL(ask.sourceUrl).host}</a>
              </span>
            ) : null}
            {ask.editedAt ? (
              <span>
                {/* A fragment alone does not unfold a <details>; the query asks the page to, with or without JavaScript. */}
                <a href="?revisions#revisions">
                  Edited <Time value={ask.editedAt} />
                </a>
                {revisions[0]?.byTeam ? (
                  <>
                    {" by "}
                    <EditorName revision={revisions[0]} />
                  </>
                ) : null}
              </span>
            ) : null}
          </p>
          <div className="actions">
            {viewer.canFollow ? (
              <Form method="post" className="follow">
                <button type="submit" name="intent" value={following ? "unfollow" : "follow"} className="secondary">
                  {following ? "Unfollow" : "Follow"}
                </button>
              </Form>
            ) : null}
            {viewer.canEdit ? (
              <Link to={`${askPath(ask)}/edit`}>
                Edit<span className="visually-hidden"> this ask</span>
              </Link>
            ) : null}
            <Link to={`${askPath(ask)}/feed`}>
              Feed<span className="visually-hidden"> of this ask's status updates and comments</span>
            </Link>
            {viewer.canExport ? (
              <a href={`${askPath(ask)}/export.json`} download>
                Export as JSON
              </a>
            ) : null}
          </div>
        </div>
        <VoteButton
          voteCount={ask.voteCount}
          extraVotes={ask.extraVotes}
          voted={voted}
          canVote={ask.status.acceptsVotes && !ask.duplicateOf && (viewer.canVote || !viewer.signedIn)}
          signedIn={viewer.signedIn}
          closedReason={viewer.blocked ? "Your account is blocked from posting." : closedReason}
          error={reply?.intent === "vote" || reply?.intent === "unvote" ? reply.errors.form : undefined}
        />
      </div>
      <OrganizationVotes
        voteCount={ask.voteCount}
        organizationCount={ask.organizationCount}
        breakdown={organizationVotes}
      />

      {ask.resolutionLinks.length ? (
        <section className={completed ? "resolution" : "card"} aria-labelledby="resolution-title">
          <h2 id="resolution-title">{completed ? "Resolution" : "Related links"}</h2>
          <ul>
            {ask.resolutionLinks.map((link) => (
              <li key={link.url}>
                <ResolutionLink link={link} />
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {/* Sanitized on the server by renderMarkdown. */}
      <div className="markdown" dangerouslySetInnerHTML={{ __html: ask.bodyHtml }} />

      <AskRevisions revisions={revisions} open={params.has("revisions")} />

      {ask.mergedFrom.length ? (
        <section aria-labelledby="merged-from-title">
          <h2 id="merged-from-title">Merged from</h2>
          <ul>
            {ask.mergedFrom.map((m) => (
              <li key={m.id}>
                <Link to={askPath(m)}>{m.title}</Link>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <StatusTimeline updates={statusUpdates} statusPath={statusUpdatePath(ask)} />
      {official ? (
        <section className="comment official" aria-labelledby="official-title">
          <h2 id="official-title">Official response</h2>
          <p className="meta-line">
            <PersonName person={authorOf(official)} organization="none" />
            <Time value={official.createdAt} relative />
            <a href={`#comment-${official.id}`}>In the comments</a>
          </p>
          {/* Sanitized on the server by renderMarkdown. */}
          <div className="markdown" dangerouslySetInnerHTML={{ __html: official.bodyHtml }} />
        </section>
      ) : null}
      <section aria-labelledby="comments-title" id="comments">
        <h2 id="comments-title">Comments ({ask.commentCount})</h2>
        {undoDelete ? (
          <div className="notice actions" role="status">
            <span>Comment deleted.</span>
            <Form method="post">
              <input type="hidden" name="commentId" value={undoDelete.commentId} />
              <button type="submit" name="intent" value="restore-comment" className="secondary">
                Undo
              </button>
            </Form>
          </div>
        ) : null}
        {reply?.intent === "restore-comment" && reply.errors.form ? (
          <p className="error" role="alert">
            {reply.errors.form}
          </p>
        ) : null}
        <CommentList
          // Deleted comments leave the thread, so the count above and the list agree.
          comments={comments.filter((c) => !c.deleted)}
          viewer={viewer}
          editingId={editing}
          cancelTo={askPath(ask)}
          edit={
            refusedEdit && {
              commentId: parseId(refusedEdit.values.commentId),
              body: refusedEdit.values.body,
              error: refusedEdit.errors.body,
            }
          }
          refusal={commentRefusal(reply)}
        />
        {ask.commentsLockedAt ? <p className="notice">Comments on this ask are locked.</p> : null}
        {!viewer.signedIn ? (
          <p>
            <Link to={`/signin?redirectTo=${encodeURIComponent(askPath(ask))}`}>Sign in</Link> to comment.
          </p>
        ) : viewer.blocked ? (
          <p className="notice">Your account is blocked from posting.</p>
        ) : !ask.commentsLockedAt || viewer.canModerate ? (
          <CommentForm
            key={comments.length}
            intent="comment"
            defaultValue={posted?.values.body}
            error={posted?.errors.body}
            label="Comment"
            submitLabel="Post comment"
          />
        ) : null}
      </section>

      {viewer.canMerge || viewer.canModerateAsk || statusUpdateForm ? (
        <TeamTools
          ask={ask}
          canMerge={viewer.canMerge}
          canModerate={viewer.canModerateAsk}
          statusUpdate={
            statusUpdateForm ? <StatusUpdateForm action={statusUpdatePath(ask)} {...statusUpdateForm} /> : undefined
          }
          mergeSearch={merge}
          merge={
            reply?.intent === "merge"
              ? {
                  error: reply.errors.targetId ?? reply.errors.confirmClosed,
                  target: reply.values.targetId,
                  needsConfirm: Boolean(reply.errors.confirmClosed),
                }
              : undefined
          }
          hideError={reply?.intent === "hide-ask" ? reply.errors.reason : undefined}
          unmergeError={reply?.intent === "unmerge" ? reply.errors.form : undefined}
        />
      ) : null}
    </article>
  );
}

type Reply = NonNullable<SerializeFrom<typeof action>>;

// A moderation form about one comment that was refused: its message goes to that comment.
function commentRefusal(reply: Reply | undefined): CommentRefusal | undefined {
  const commentId = parseId(reply?.values.commentId);
  if (!reply || !commentId) return undefined;
  switch (reply.intent) {
    case "hide-comment":
      return { commentId, reasonError: reply.errors.reason, reason: reply.values.reason };
    case "official":
    case "unofficial":
    case "block-user":
    case "unblock-user":
      return { commentId, error: reply.errors.form };
    default:
      return undefined;
  }
}
