import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { formatDate } from "~/components/format";
import { StatusBadge } from "~/components/status-badge";
import { StatusTimeline } from "~/components/status-timeline";
import { VoteButton } from "~/components/vote-button";
import { getAsk } from "~/models/ask.server";
import { addComment, deleteComment, editComment, listComments } from "~/models/comment.server";
import { listStatusUpdates } from "~/models/status-update.server";
import { castVote, hasVoted, retractVote } from "~/models/vote.server";
import { renderMarkdown } from "~/services/markdown.server";
import { getUser, requireUser } from "~/services/session.server";
import { askPath, parseAskParam } from "~/slug";
import { commentBodyMax, commentSchema } from "~/validation/comment";
import { parseForm } from "~/validation/form";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.ask.title} · Asklog` : "Ask not found · Asklog" },
];

function findAsk(param: string | undefined) {
  const id = parseAskParam(param);
  const ask = id ? getAsk(id) : undefined;
  if (!ask) throw data("Ask not found", { status: 404 });
  return ask;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ask = findAsk(params.ask);
  // Old or mistyped slugs still find the ask; the address bar gets the current one.
  if (params.ask !== `${ask.id}-${ask.slug}`) throw redirect(askPath(ask), 301);
  const user = await getUser(request);
  return {
    ask: { ...ask, bodyHtml: renderMarkdown(ask.body) },
    statusUpdates: listStatusUpdates(ask.id).map((u) => ({ ...u, noteHtml: renderMarkdown(u.note) })),
    comments: listComments(ask.id).map((c) => ({
      ...c,
      bodyHtml: c.deleted ? "" : renderMarkdown(c.body),
      mine: c.authorId === user?.id,
    })),
    voted: user ? hasVoted(ask.id, user.id) : false,
    signedIn: Boolean(user),
  };
}

type ActionReply = {
  error?: string;
  commentErrors?: { body?: string };
  commentValues?: { body?: string };
  commentId?: number;
};

export async function action({ request, params }: ActionFunctionArgs) {
  const ask = findAsk(params.ask);
  const user = await requireUser(request);
  const form = await request.formData();
  const intent = form.get("intent");

  if (intent === "vote" || intent === "unvote") {
    const result = intent === "vote" ? castVote(ask.id, user.id) : retractVote(ask.id, user.id);
    if (!result.ok) {
      return data<ActionReply>({ error: "This ask is closed to new votes." }, { status: 409 });
    }
    return redirect(askPath(ask));
  }

  if (intent === "comment" || intent === "edit-comment") {
    const parsed = parseForm(commentSchema, form);
    const commentId = Number(form.get("commentId")) || undefined;
    if (!parsed.ok) {
      return data<ActionReply>(
        { commentErrors: { body: parsed.errors.body }, commentValues: { body: parsed.values.body }, commentId },
        { status: 400 },
      );
    }
    if (intent === "comment") {
      const id = addComment(ask.id, user.id, parsed.data.body);
      return redirect(`${askPath(ask)}#comment-${id}`);
    }
    if (!commentId || !editComment(commentId, ask.id, user.id, parsed.data.body)) {
      throw data("Comment not found", { status: 404 });
    }
    return redirect(`${askPath(ask)}#comment-${commentId}`);
  }

  if (intent === "delete-comment") {
    const commentId = Number(form.get("commentId"));
    if (!Number.isSafeInteger(commentId) || !deleteComment(commentId, ask.id, user.id)) {
      throw data("Comment not found", { status: 404 });
    }
    return redirect(`${askPath(ask)}#comments`);
  }

  throw data("Unknown action", { status: 400 });
}

export default function AskPage() {
  const { ask, statusUpdates, comments, voted, signedIn } = useLoaderData<typeof loader>();
  const actionData = useActionData<ActionReply>();
  const [params] = useSearchParams();
  const editing = Number(params.get("edit")) || (actionData?.commentId ?? 0);
  const closedReason = ask.status.acceptsVotes
    ? undefined
    : `Voting is closed: this ask is ${ask.status.name.toLowerCase()}.`;

  return (
    <article aria-labelledby="ask-title">
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
        <VoteButton
          voteCount={ask.voteCount}
          voted={voted}
          canVote={ask.status.acceptsVotes}
          signedIn={signedIn}
          closedReason={closedReason}
          error={actionData?.error}
        />
      </div>

      {ask.resolutionLinks.length ? (
        <section className="resolution" aria-labelledby="resolution-title">
          <h2 id="resolution-title">Resolution</h2>
          <ul>
            {ask.resolutionLinks.map((link) => (
              <li key={link.url}>
                <a href={link.url} rel="nofollow noopener">
                  {link.title}
                </a>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {/* Sanitized on the server by renderMarkdown. */}
      <div className="markdown" dangerouslySetInnerHTML={{ __html: ask.bodyHtml }} />

      <StatusTimeline updates={statusUpdates} />

      <section aria-labelledby="comments-title" id="comments">
        <h2 id="comments-title">Comments ({ask.commentCount})</h2>
        <ol className="comments" aria-labelledby="comments-title">
          {comments.map((c) =>
            c.deleted ? (
              <li key={c.id} id={`comment-${c.id}`} className="comment deleted">
                Comment deleted.
              </li>
            ) : (
              <li key={c.id} id={`comment-${c.id}`} className="comment">
                <p className="meta-line">
                  <strong>{c.author}</strong>
                  {c.organization ? <span>({c.organization})</span> : null}
                  <span>
                    · <time dateTime={c.createdAt}>{formatDate(c.createdAt)}</time>
                  </span>
                  {c.editedAt ? <span>· edited</span> : null}
                </p>
                {c.mine && editing === c.id ? (
                  <CommentForm
                    intent="edit-comment"
                    commentId={c.id}
                    defaultValue={actionData?.commentId === c.id ? actionData.commentValues?.body : c.body}
                    error={actionData?.commentId === c.id ? actionData.commentErrors?.body : undefined}
                    label="Edit comment"
                    submitLabel="Save comment"
                    cancelTo={askPath(ask)}
                  />
                ) : (
                  <>
                    <div className="markdown" dangerouslySetInnerHTML={{ __html: c.bodyHtml }} />
                    {c.mine ? (
                      <div className="actions">
                        <Link to={`?edit=${c.id}#comment-${c.id}`} preventScrollReset>
                          Edit<span className="visually-hidden"> your comment from {formatDate(c.createdAt)}</span>
                        </Link>
                        <Form method="post">
                          <input type="hidden" name="commentId" value={c.id} />
                          <button type="submit" name="intent" value="delete-comment" className="link-button">
                            Delete<span className="visually-hidden"> your comment from {formatDate(c.createdAt)}</span>
                          </button>
                        </Form>
                      </div>
                    ) : null}
                  </>
                )}
              </li>
            ),
          )}
        </ol>
        {signedIn ? (
          <CommentForm
            key={comments.length}
            intent="comment"
            defaultValue={actionData?.commentId ? undefined : actionData?.commentValues?.body}
            error={actionData?.commentId ? undefined : actionData?.commentErrors?.body}
            label="Comment"
            submitLabel="Post comment"
          />
        ) : (
          <p>
            <Link to={`/signin?redirectTo=${encodeURIComponent(askPath(ask))}`}>Sign in</Link> to comment.
          </p>
        )}
      </section>
    </article>
  );
}

function CommentForm(props: {
  intent: "comment" | "edit-comment";
  commentId?: number;
  defaultValue?: string;
  error?: string;
  label: string;
  submitLabel: string;
  cancelTo?: string;
}) {
  const navigation = useNavigation();
  const id = props.commentId ? `comment-body-${props.commentId}` : "comment-body";
  const busy = navigation.state === "submitting" && navigation.formData?.get("intent") === props.intent;
  return (
    <Form method="post" className="comment-form" preventScrollReset>
      {props.commentId ? <input type="hidden" name="commentId" value={props.commentId} /> : null}
      <div className="field">
        <label htmlFor={id}>{props.label}</label>
        <textarea
          id={id}
          name="body"
          rows={5}
          maxLength={commentBodyMax}
          defaultValue={props.defaultValue}
          aria-invalid={props.error ? true : undefined}
          aria-describedby={props.error ? `${id}-error` : `${id}-hint`}
        />
        <p className="hint" id={`${id}-hint`}>
          Markdown works: **bold**, _italic_, lists and links.
        </p>
        {props.error ? (
          <p className="error" id={`${id}-error`}>
            {props.error}
          </p>
        ) : null}
      </div>
      <div className="actions">
        <button type="submit" name="intent" value={props.intent} disabled={busy}>
          {props.submitLabel}
        </button>
        {props.cancelTo ? <Link to={props.cancelTo}>Cancel</Link> : null}
      </div>
    </Form>
  );
}
