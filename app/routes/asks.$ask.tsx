import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { CommentForm, CommentList } from "~/components/comment-list";
import { formatDate } from "~/components/format";
import { ResolutionLink } from "~/components/resolution-link";
import { StatusBadge } from "~/components/status-badge";
import { StatusTimeline } from "~/components/status-timeline";
import { StatusUpdateForm, statusUpdatePath } from "~/components/status-update-form";
import { TeamTools } from "~/components/team-tools";
import { VoteButton } from "~/components/vote-button";
import { getAsk } from "~/models/ask.server";
import {
  addComment,
  CommentsLockedError,
  deleteComment,
  editComment,
  listComments,
  NotTeamCommentError,
  setCommentHidden,
  setOfficialResponse,
} from "~/models/comment.server";
import { mergeAsk, unmergeAsk } from "~/models/merge.server";
import { setAskHidden, setCommentsLocked, setUserBlocked } from "~/models/moderation.server";
import { listStatusUpdates, statusUpdateFormData } from "~/models/status-update.server";
import { follow, isFollowing, unfollow } from "~/models/subscription.server";
import type { User } from "~/models/user.server";
import { castVote, hasVoted, retractVote } from "~/models/vote.server";
import { renderMarkdown } from "~/services/markdown.server";
import { can, ensurePermission, type Permission } from "~/services/permission.server";
import { countUserAction, retryAfterHeaders } from "~/services/rate-limit.server";
import { getUser, requireUser } from "~/services/session.server";
import { askPath, parseAskParam } from "~/slug";
import { commentSchema } from "~/validation/comment";
import { cleanText, parseForm } from "~/validation/form";

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
function findAsk(param: string | undefined, viewer: User | undefined) {
  const id = parseAskParam(param);
  const ask = id ? getAsk(id) : undefined;
  if (!ask || (ask.hiddenAt && !can(viewer, "ask:moderate"))) throw data("Ask not found", { status: 404 });
  return ask;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await getUser(request);
  const ask = findAsk(params.ask, user);
  // Old or mistyped slugs still find the ask; the address bar gets the current one.
  if (params.ask !== `${ask.id}-${ask.slug}`) throw redirect(askPath(ask), 301);
  const canModerate = can(user, "comment:moderate");
  const canTriage = can(user, "ask:triage");
  return {
    ask: { ...ask, bodyHtml: renderMarkdown(ask.body) },
    statusUpdates: listStatusUpdates(ask.id).map((u) => ({
      ...u,
      noteHtml: renderMarkdown(u.note),
      mine: canTriage && u.authorId === user?.id,
    })),
    statusUpdateForm: user && canTriage ? statusUpdateFormData(ask, user.teamId) : null,
    comments: listComments(ask.id).map((c) => {
      const readable = !c.deleted && (!c.hiddenAt || canModerate);
      return {
        ...c,
        // The markdown source only goes to its author, for the edit form; everyone else reads the HTML.
        body: readable && c.authorId === user?.id ? c.body : "",
        bodyHtml: readable ? renderMarkdown(c.body) : "",
        mine: c.authorId === user?.id,
      };
    }),
    voted: user ? hasVoted(ask.id, user.id) : false,
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
      blocked: Boolean(user?.blocked),
    },
  };
}

// Passes a refused vote's or comment's Retry-After on to the browser.
export const headers = retryAfterHeaders;

type ActionReply = {
  error?: string;
  commentErrors?: { body?: string };
  commentValues?: { body?: string };
  commentId?: number;
  mergeError?: string;
  mergeTarget?: string;
};

type Context = { ask: ReturnType<typeof findAsk>; user: User; form: FormData };
type Handler = { permission: Permission; run: (c: Context) => Response | ReturnType<typeof data<ActionReply>> };

const back = (c: Context, hash = "") => redirect(`${askPath(c.ask)}${hash}`);
const commentId = (form: FormData) => {
  const id = Number(form.get("commentId"));
  return Number.isSafeInteger(id) && id > 0 ? id : 0;
};
const reason = (form: FormData) =>
  cleanText(String(form.get("reason") ?? ""))
    .trim()
    .slice(0, 200);
const notFound = (what: string) => data(`${what} not found`, { status: 404 });
const thenBack =
  (effect: (c: Context) => unknown, hash = "") =>
  (c: Context) => {
    effect(c);
    return back(c, hash);
  };

// Each intent names the permission it needs; the action checks it before
// anything else, so a crafted form cannot reach a handler it may not use.
const handlers: Record<string, Handler> = {
  vote: { permission: "vote:cast", run: (c) => vote(c, castVote) },
  unvote: { permission: "vote:cast", run: (c) => vote(c, retractVote) },
  follow: { permission: "ask:follow", run: thenBack((c) => follow(c.ask.id, c.user.id)) },
  unfollow: { permission: "ask:follow", run: thenBack((c) => unfollow(c.ask.id, c.user.id)) },
  comment: { permission: "comment:create", run: saveComment },
  "edit-comment": { permission: "comment:create", run: saveComment },
  "delete-comment": {
    permission: "comment:delete-own",
    run: (c) => {
      if (!deleteComment(commentId(c.form), c.ask.id, c.user.id)) throw notFound("Comment");
      return back(c, "#comments");
    },
  },
  official: { permission: "comment:official", run: (c) => markOfficial(c, true) },
  unofficial: { permission: "comment:official", run: (c) => markOfficial(c, false) },
  "hide-comment": {
    permission: "comment:moderate",
    run: (c) => {
      const id = commentId(c.form);
      if (!reason(c.form)) return data<ActionReply>({ error: "Say why the comment is hidden." }, { status: 400 });
      if (!setCommentHidden({ commentId: id, askId: c.ask.id, actorId: c.user.id }, reason(c.form))) {
        throw notFound("Comment");
      }
      return back(c, `#comment-${id}`);
    },
  },
  "unhide-comment": {
    permission: "comment:moderate",
    run: (c) => {
      const id = commentId(c.form);
      if (!setCommentHidden({ commentId: id, askId: c.ask.id, actorId: c.user.id }, null)) throw notFound("Comment");
      return back(c, `#comment-${id}`);
    },
  },
  "hide-ask": {
    permission: "ask:moderate",
    run: (c) => {
      if (!reason(c.form)) return data<ActionReply>({ error: "Say why the ask is hidden." }, { status: 400 });
      setAskHidden(c.ask.id, c.user.id, reason(c.form));
      return back(c);
    },
  },
  "unhide-ask": { permission: "ask:moderate", run: thenBack((c) => setAskHidden(c.ask.id, c.user.id, null)) },
  lock: { permission: "ask:moderate", run: thenBack((c) => setCommentsLocked(c.ask.id, c.user.id, true), "#comments") },
  unlock: {
    permission: "ask:moderate",
    run: thenBack((c) => setCommentsLocked(c.ask.id, c.user.id, false), "#comments"),
  },
  merge: {
    permission: "ask:merge",
    run: (c) => {
      const raw = String(c.form.get("targetId") ?? "").trim();
      const targetId = parseAskParam(raw.replace(/^#/, ""));
      const result = targetId
        ? mergeAsk(c.ask.id, targetId, c.user.id)
        : { ok: false as const, message: "Enter the number of the ask to merge into." };
      if (!result.ok) return data<ActionReply>({ mergeError: result.message, mergeTarget: raw }, { status: 400 });
      return back(c);
    },
  },
  unmerge: {
    permission: "ask:merge",
    run: (c) => {
      const result = unmergeAsk(c.ask.id, c.user.id);
      if (!result.ok) return data<ActionReply>({ error: result.message }, { status: 409 });
      return back(c);
    },
  },
  "block-user": { permission: "user:block", run: (c) => blockAuthor(c, true) },
  "unblock-user": { permission: "user:block", run: (c) => blockAuthor(c, false) },
};

function vote(c: Context, change: typeof castVote) {
  const limit = countUserAction("vote", c.user.id);
  if (!limit.ok) return data<ActionReply>({ error: limit.message }, limit.init);
  const result = change(c.ask.id, c.user.id);
  if (!result.ok) return data<ActionReply>({ error: "This ask is closed to new votes." }, { status: 409 });
  return back(c);
}

function saveComment(c: Context) {
  const parsed = parseForm(commentSchema, c.form);
  const editing = c.form.get("intent") === "edit-comment" ? commentId(c.form) : undefined;
  if (!parsed.ok) {
    return data<ActionReply>(
      { commentErrors: { body: parsed.errors.body }, commentValues: { body: parsed.values.body }, commentId: editing },
      { status: 400 },
    );
  }
  const limit = countUserAction("comment", c.user.id);
  if (!limit.ok) {
    return data<ActionReply>(
      { commentErrors: { body: limit.message }, commentValues: { body: parsed.data.body }, commentId: editing },
      limit.init,
    );
  }
  if (editing !== undefined) {
    if (!editComment(editing, c.ask.id, c.user.id, parsed.data.body)) throw notFound("Comment");
    return back(c, `#comment-${editing}`);
  }
  try {
    const id = addComment(c.ask.id, c.user.id, parsed.data.body, { bypassLock: can(c.user, "comment:moderate") });
    return back(c, `#comment-${id}`);
  } catch (error) {
    if (!(error instanceof CommentsLockedError)) throw error;
    return data<ActionReply>(
      { commentErrors: { body: "Comments on this ask are locked." }, commentValues: { body: parsed.data.body } },
      { status: 409 },
    );
  }
}

function markOfficial(c: Context, official: boolean) {
  const id = commentId(c.form);
  try {
    if (!setOfficialResponse({ commentId: id, askId: c.ask.id, actorId: c.user.id }, official)) {
      throw notFound("Comment");
    }
  } catch (error) {
    if (!(error instanceof NotTeamCommentError)) throw error;
    return data<ActionReply>({ error: "Only a team member's comment can be an official response." }, { status: 400 });
  }
  return back(c, `#comment-${id}`);
}

function blockAuthor(c: Context, blocked: boolean) {
  const userId = Number(c.form.get("userId"));
  if (!Number.isSafeInteger(userId) || userId === c.user.id) {
    return data<ActionReply>({ error: "You cannot block yourself." }, { status: 400 });
  }
  if (!setUserBlocked(userId, c.user.id, blocked)) throw notFound("User");
  return back(c, "#comments");
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const ask = findAsk(params.ask, user);
  const form = await request.formData();
  const handler = handlers[String(form.get("intent"))];
  if (!handler) throw data("Unknown action", { status: 400 });
  ensurePermission(user, handler.permission);
  return handler.run({ ask, user, form });
}

export default function AskPage() {
  const { ask, statusUpdates, statusUpdateForm, comments, voted, following, viewer } = useLoaderData<typeof loader>();
  const actionData = useActionData<ActionReply>();
  const [params] = useSearchParams();
  const editing = Number(params.get("edit")) || (actionData?.commentId ?? 0);
  const closedReason = ask.duplicateOf
    ? "Voting is closed: this ask was merged. Vote on the ask it was merged into."
    : ask.status.acceptsVotes
      ? undefined
      : `Voting is closed: this ask is ${ask.status.name.toLowerCase()}.`;

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
      <div className="ask-header">
        <div>
          <h1 id="ask-title">{ask.title}</h1>
          <p className="meta-line">
            <StatusBadge status={ask.status} />
            <span>{ask.category}</span>
            {ask.team ? <span>· {ask.team}</span> : null}
          </p>
          <p className="meta-line">
            Suggested by {ask.author}
            {ask.organization ? ` (${ask.organization})` : ""} ·{" "}
            <time dateTime={ask.createdAt}>{formatDate(ask.createdAt)}</time>
          </p>
        </div>
        <div>
          <VoteButton
            voteCount={ask.voteCount}
            voted={voted}
            canVote={ask.status.acceptsVotes && !ask.duplicateOf && (viewer.canVote || !viewer.signedIn)}
            signedIn={viewer.signedIn}
            closedReason={viewer.blocked ? "Your account is blocked from posting." : closedReason}
            error={actionData?.error}
          />
          {viewer.canFollow ? (
            <Form method="post" className="follow">
              <button type="submit" name="intent" value={following ? "unfollow" : "follow"} className="secondary">
                {following ? "Unfollow" : "Follow"}
              </button>
            </Form>
          ) : null}
          <p>
            <a href={`${askPath(ask)}/feed.atom`} type="application/atom+xml">
              Feed<span className="visually-hidden"> of this ask's status updates and comments</span>
            </a>
          </p>
        </div>
      </div>

      {ask.resolutionLinks.length ? (
        <section className="resolution" aria-labelledby="resolution-title">
          <h2 id="resolution-title">Resolution</h2>
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
      {statusUpdateForm ? (
        <section className="team-tools" aria-labelledby="status-update-title">
          <h2 id="status-update-title">Post a status update</h2>
          <StatusUpdateForm action={statusUpdatePath(ask)} {...statusUpdateForm} />
        </section>
      ) : null}

      <section aria-labelledby="comments-title" id="comments">
        <h2 id="comments-title">Comments ({ask.commentCount})</h2>
        <CommentList
          comments={comments}
          viewer={viewer}
          editingId={editing}
          cancelTo={askPath(ask)}
          edit={{
            commentId: actionData?.commentId,
            body: actionData?.commentValues?.body,
            error: actionData?.commentErrors?.body,
          }}
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
            defaultValue={actionData?.commentId ? undefined : actionData?.commentValues?.body}
            error={actionData?.commentId ? undefined : actionData?.commentErrors?.body}
            label="Comment"
            submitLabel="Post comment"
          />
        ) : null}
      </section>

      {viewer.canMerge || viewer.canModerateAsk ? (
        <TeamTools
          ask={ask}
          canMerge={viewer.canMerge}
          canModerate={viewer.canModerateAsk}
          mergeError={actionData?.mergeError}
          mergeTarget={actionData?.mergeTarget}
        />
      ) : null}
    </article>
  );
}
