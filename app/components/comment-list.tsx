import { Form, Link, useNavigation } from "@remix-run/react";
import { commentBodyMax, moderationReasonMax } from "~/validation/comment-rules";
import { InputField, markdownHint, TextAreaField } from "./form-fields";
import { authorOf, PersonName } from "./person-name";
import { Time } from "./time";

export type CommentItem = {
  id: number;
  author: string;
  authorProfileHidden: boolean;
  organization: string | null;
  organizationSlug: string | null;
  team: string | null;
  body: string;
  bodyHtml: string;
  createdAt: string;
  editedAt: string | null;
  deleted: boolean;
  isOfficial: boolean;
  hiddenAt: string | null;
  hiddenReason: string | null;
  mine: boolean;
  byTeam: boolean;
  authorId: number;
  authorBlocked: boolean;
};

type Viewer = { canModerate: boolean; canMarkOfficial: boolean; canBlock: boolean };

// A moderation form about one comment that the action refused: the message shows at that comment.
export type CommentRefusal = { commentId: number; error?: string; reasonError?: string; reason?: string };

type CommentListProps = {
  comments: CommentItem[];
  viewer: Viewer;
  editingId: number;
  cancelTo: string;
  // A refused edit: what was typed and why it was refused.
  edit?: { commentId?: number; body?: string; error?: string };
  refusal?: CommentRefusal;
};

export function CommentList({ comments, viewer, editingId, cancelTo, edit, refusal }: CommentListProps) {
  return (
    <ol className="comments">
      {comments.map((c) => (
        <li key={c.id} id={`comment-${c.id}`} className={commentClass(c)}>
          {c.deleted ? (
            "Comment deleted."
          ) : c.hiddenAt && !viewer.canModerate ? (
            `Comment hidden by a moderator${c.hiddenReason ? `: ${c.hiddenReason}` : "."}`
          ) : (
            <>
              <p className="meta-line">
                <PersonName person={authorOf(c)} strong />
                {c.byTeam && c.team ? <span>· {c.team}</span> : null}
                <span>
                  · <Time value={c.createdAt} relative />
                </span>
                {c.editedAt ? <span>· edited</span> : null}
                {c.isOfficial ? <span className="badge official-badge">Official response</span> : null}
              </p>
              {c.hiddenAt ? (
                <p className="notice">Hidden from partners{c.hiddenReason ? `: ${c.hiddenReason}` : ""}.</p>
              ) : null}
              {c.mine && editingId === c.id ? (
                <CommentForm
                  intent="edit-comment"
                  commentId={c.id}
                  defaultValue={edit?.commentId === c.id ? edit.body : c.body}
                  error={edit?.commentId === c.id ? edit.error : undefined}
                  label="Edit comment"
                  submitLabel="Save comment"
                  cancelTo={cancelTo}
                />
              ) : (
                <>
                  {/* Sanitized on the server by renderMarkdown. */}
                  <div className="markdown" dangerouslySetInnerHTML={{ __html: c.bodyHtml }} />
                  <CommentActions
                    comment={c}
                    viewer={viewer}
                    refusal={refusal?.commentId === c.id ? refusal : undefined}
                  />
                </>
              )}
            </>
          )}
        </li>
      ))}
    </ol>
  );
}

function commentClass(c: CommentItem): string {
  if (c.deleted || c.hiddenAt) return "comment deleted";
  return c.isOfficial ? "comment official" : "comment";
}

function CommentActions({
  comment: c,
  viewer,
  refusal,
}: {
  comment: CommentItem;
  viewer: Viewer;
  refusal?: CommentRefusal;
}) {
  const context = (
    <span className="visually-hidden">
      {" "}
      the comment by {c.author} from <Time value={c.createdAt} />
    </span>
  );
  return (
    <div className="actions">
      {c.mine ? (
        <>
          <Link to={`?edit=${c.id}#comment-${c.id}`} preventScrollReset>
            Edit{context}
          </Link>
          <IntentButton intent="delete-comment" commentId={c.id}>
            Delete{context}
          </IntentButton>
        </>
      ) : null}
      {viewer.canModerate || viewer.canMarkOfficial || viewer.canBlock ? (
        // Folded away so a thread stays readable; <details> needs no JavaScript. A refused
        // moderation opens it, so the message is seen.
        <details className="moderate" open={refusal ? true : undefined}>
          <summary>
            Moderate<span className="visually-hidden"> the comment by {c.author}</span>
          </summary>
          <div className="actions">
            {viewer.canMarkOfficial && c.byTeam ? (
              <IntentButton intent={c.isOfficial ? "unofficial" : "official"} commentId={c.id}>
                {c.isOfficial ? "Unmark official response" : "Mark as official response"}
                {context}
              </IntentButton>
            ) : null}
            {viewer.canModerate ? (
              c.hiddenAt ? (
                <IntentButton intent="unhide-comment" commentId={c.id}>
                  Unhide{context}
                </IntentButton>
              ) : (
                <Form method="post" className="inline-form" noValidate>
                  <input type="hidden" name="commentId" value={c.id} />
                  <InputField
                    id={`hide-reason-${c.id}`}
                    label="Reason for hiding"
                    error={refusal?.reasonError}
                    name="reason"
                    required
                    maxLength={moderationReasonMax}
                    defaultValue={refusal?.reason}
                  />
                  <button type="submit" name="intent" value="hide-comment" className="secondary">
                    Hide{context}
                  </button>
                </Form>
              )
            ) : null}
            {viewer.canBlock && !c.byTeam ? (
              <Form method="post">
                <input type="hidden" name="userId" value={c.authorId} />
                <input type="hidden" name="commentId" value={c.id} />
                <button
                  type="submit"
                  name="intent"
                  value={c.authorBlocked ? "unblock-user" : "block-user"}
                  className="link-button"
                >
                  {c.authorBlocked ? `Unblock ${c.author}` : `Block ${c.author} from posting`}
                </button>
              </Form>
            ) : null}
          </div>
          {refusal?.error ? (
            <p className="error" role="alert">
              {refusal.error}
            </p>
          ) : null}
        </details>
      ) : null}
    </div>
  );
}

function IntentButton({
  intent,
  commentId,
  children,
}: {
  intent: string;
  commentId: number;
  children: React.ReactNode;
}) {
  return (
    <Form method="post">
      <input type="hidden" name="commentId" value={commentId} />
      <button type="submit" name="intent" value={intent} className="link-button">
        {children}
      </button>
    </Form>
  );
}

export function CommentForm(props: {
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
      <TextAreaField
        id={id}
        label={props.label}
        error={props.error}
        hint={markdownHint}
        name="body"
        rows={5}
        maxLength={commentBodyMax}
        defaultValue={props.defaultValue}
      />
      <div className="actions">
        <button type="submit" name="intent" value={props.intent} disabled={busy}>
          {props.submitLabel}
        </button>
        {props.cancelTo ? <Link to={props.cancelTo}>Cancel</Link> : null}
      </div>
    </Form>
  );
}
