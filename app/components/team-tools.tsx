import { Form, Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { askPath } from "~/slug";
import { moderationReasonMax } from "~/validation/comment-rules";
import { InputField } from "./form-fields";

export type MergeCandidate = { id: number; title: string; status: string };

type TeamToolsProps = {
  ask: {
    id: number;
    hiddenAt: string | null;
    commentsLockedAt: string | null;
    duplicateOf: { id: number; slug: string; title: string } | null;
  };
  canMerge: boolean;
  canModerate: boolean;
  // The status update form, when the viewer may post one.
  statusUpdate?: ReactNode;
  // The title search of the merge panel and the asks it found.
  mergeSearch?: { query: string; candidates: MergeCandidate[] };
  // A refused merge: why, the ask number picked, and whether a closed target needs confirming.
  merge?: { error?: string; target?: string; needsConfirm?: boolean };
  hideError?: string;
  unmergeError?: string;
};

// Post a status update, merge, hide and lock: each in a panel that stays closed until
// it is opened, or until a refusal for its form comes back.
export function TeamTools(props: TeamToolsProps) {
  const { ask, canMerge, canModerate, statusUpdate, merge, hideError, unmergeError } = props;
  const search = props.mergeSearch ?? { query: "", candidates: [] };
  const mergeOpen = Boolean(merge || unmergeError || search.query);
  return (
    <section className="team-tools" aria-labelledby="team-tools-title">
      <h2 id="team-tools-title">Team tools</h2>
      {statusUpdate ? (
        <details className="disclosure">
          <summary>Post a status update</summary>
          <div>{statusUpdate}</div>
        </details>
      ) : null}
      {canMerge ? (
        <details className="disclosure" open={mergeOpen}>
          <summary>Merge</summary>
          <div>
            {ask.duplicateOf ? (
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
              <MergePicker search={search} merge={merge} />
            )}
          </div>
        </details>
      ) : null}
      {canModerate ? (
        <details className="disclosure" open={Boolean(hideError)}>
          <summary>Moderate</summary>
          <div>
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
              <button
                type="submit"
                name="intent"
                value={ask.commentsLockedAt ? "unlock" : "lock"}
                className="secondary"
              >
                {ask.commentsLockedAt ? "Unlock comments" : "Lock comments"}
              </button>
            </Form>
          </div>
        </details>
      ) : null}
    </section>
  );
}

// The ask to merge into is found by its title: a GET search lists matches with their
// numbers, and the one picked is posted. Works the same without JavaScript.
function MergePicker({
  search,
  merge,
}: Pick<TeamToolsProps, "merge"> & { search: NonNullable<TeamToolsProps["mergeSearch"]> }) {
  const picked = merge?.target;
  return (
    <>
      <Form method="get" className="actions align-end" role="search" aria-label="Asks to merge into">
        <InputField
          id="merge-search"
          label="Find the ask to merge into"
          hint="Words from its title."
          name="merge"
          type="search"
          defaultValue={search.query}
        />
        <button type="submit" className="secondary">
          Find asks
        </button>
      </Form>
      {search.query || merge ? (
        <Form method="post" noValidate>
          {merge?.error ? (
            <p className="error" role="alert" id="merge-error">
              {merge.error}
            </p>
          ) : null}
          {search.candidates.length || picked ? (
            <fieldset aria-describedby={merge?.error ? "merge-error" : undefined}>
              <legend>Merge into</legend>
              {search.candidates.map((c) => (
                <p key={c.id}>
                  <label>
                    <input type="radio" name="targetId" value={c.id} defaultChecked={picked === String(c.id)} />{" "}
                    {`#${c.id} ${c.title} (${c.status})`}
                  </label>
                </p>
              ))}
              {picked && !search.candidates.some((c) => String(c.id) === picked) ? (
                <p>
                  <label>
                    <input type="radio" name="targetId" value={picked} defaultChecked /> Ask #{picked.replace(/^#/, "")}
                  </label>
                </p>
              ) : null}
            </fieldset>
          ) : (
            <p>No ask has a title matching “{search.query}”.</p>
          )}
          {merge?.needsConfirm ? (
            <p>
              <label>
                <input type="checkbox" name="confirmClosed" /> Merge into a closed ask
              </label>
            </p>
          ) : null}
          <p className="hint">Marks this ask as a duplicate; its voters and followers move to the ask picked.</p>
          {search.candidates.length || picked ? (
            <button type="submit" name="intent" value="merge" className="secondary">
              Merge as duplicate
            </button>
          ) : null}
        </Form>
      ) : null}
    </>
  );
}
