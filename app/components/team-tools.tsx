import { Form, Link } from "@remix-run/react";
import { askPath } from "~/slug";
import { moderationReasonMax } from "~/validation/comment";
import { InputField } from "./form-fields";

type TeamToolsProps = {
  ask: {
    id: number;
    hiddenAt: string | null;
    commentsLockedAt: string | null;
    duplicateOf: { id: number; slug: string; title: string } | null;
  };
  canMerge: boolean;
  canModerate: boolean;
  // A refused merge: why, and the ask number that was typed.
  merge?: { error?: string; target?: string };
  hideError?: string;
  unmergeError?: string;
};

// Merge, hide and lock: the moderation a program team does on an ask.
export function TeamTools({ ask, canMerge, canModerate, merge, hideError, unmergeError }: TeamToolsProps) {
  return (
    <section className="team-tools" aria-labelledby="team-tools-title">
      <h2 id="team-tools-title">Team tools</h2>
      {canMerge ? (
        ask.duplicateOf ? (
          <Form method="post" className="actions">
            <span>
              Merged into <Link to={askPath(ask.duplicateOf)}>{ask.duplicateOf.title}</Link>.
            </span>
            <button type="submit" name="intent" value="unmerge" className="secondary">
              Undo merge
            </button>
            {unmergeError ? (
              <p className="error" role="alert">
                {unmergeError}
              </p>
            ) : null}
          </Form>
        ) : (
          <Form method="post" className="actions align-end" noValidate>
            <InputField
              id="merge-target"
              label="Merge into ask number"
              error={merge?.error}
              hint="Marks this ask as a duplicate; its voters and followers move to that ask."
              name="targetId"
              inputMode="numeric"
              required
              defaultValue={merge?.target}
            />
            <button type="submit" name="intent" value="merge" className="secondary">
              Merge as duplicate
            </button>
          </Form>
        )
      ) : null}
      {canModerate ? (
        <>
          {ask.hiddenAt ? (
            <Form method="post">
              <button type="submit" name="intent" value="unhide-ask" className="secondary">
                Unhide this ask
              </button>
            </Form>
          ) : (
            <Form method="post" className="actions align-end" noValidate>
              <InputField
                id="hide-ask-reason"
                label="Reason for hiding this ask"
                error={hideError}
                name="reason"
                required
                maxLength={moderationReasonMax}
              />
              <button type="submit" name="intent" value="hide-ask" className="secondary">
                Hide this ask
              </button>
            </Form>
          )}
          <Form method="post">
            <button type="submit" name="intent" value={ask.commentsLockedAt ? "unlock" : "lock"} className="secondary">
              {ask.commentsLockedAt ? "Unlock comments" : "Lock comments"}
            </button>
          </Form>
        </>
      ) : null}
    </section>
  );
}
