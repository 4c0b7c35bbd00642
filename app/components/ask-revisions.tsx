import type { RevisionDiff } from "~/services/ask-edit.server";
import { PersonName } from "./person-name";
import { Time } from "./time";
import { WordDiff } from "./word-diff";

type Editor = Pick<RevisionDiff, "editorId" | "editor" | "editorProfileHidden" | "byTeam" | "editorTeam">;

// A team's edit is marked as such, so readers know the wording is no longer only the author's.
export function EditorName({ revision: r }: { revision: Editor }) {
  const person = { id: r.editorId, displayName: r.editor, profileHidden: r.editorProfileHidden };
  return (
    <>
      <PersonName person={person} organization="none" />
      {r.byTeam ? (r.editorTeam ? ` (${r.editorTeam}, program team)` : " (program team)") : null}
    </>
  );
}

// An ask's edits, newest first, each as a diff: what the edit removed from the earlier version
// and what it added.
// `open`: shown unfolded, when the reader came by the page's "Edited" link.
export function AskRevisions({ revisions, open = false }: { revisions: RevisionDiff[]; open?: boolean }) {
  if (!revisions.length) return null;
  return (
    <details className="disclosure" id="revisions" open={open}>
      <summary>Earlier versions ({revisions.length})</summary>
      <ol className="comments revisions">
        {revisions.map((r) => (
          <li key={r.id} className="comment">
            <p className="meta-line">
              <span>
                Edited by <EditorName revision={r} /> <Time value={r.createdAt} />
              </span>
            </p>
            <p className="diff diff-title">
              <strong>
                <WordDiff parts={r.title} />
              </strong>
            </p>
            {r.category ? (
              <p className="diff">
                Category:{" "}
                <del>
                  <span className="visually-hidden">was </span>
                  {r.category.before}
                </del>{" "}
                <span aria-hidden="true">→</span>{" "}
                <ins>
                  <span className="visually-hidden">now </span>
                  {r.category.after}
                </ins>
              </p>
            ) : null}
            <p className="diff diff-body">
              <WordDiff parts={r.body} />
            </p>
          </li>
        ))}
      </ol>
    </details>
  );
}
