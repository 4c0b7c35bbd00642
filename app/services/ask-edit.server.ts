import type { AskDetail } from "~/models/ask.server";
import { editRefusal, listRevisions, teamAnswered } from "~/models/ask-edit.server";
import type { User } from "~/models/user.server";
import { diffWords } from "~/word-diff";
import { can } from "./permission.server";

// Whether the person may edit the ask now, for the ask page's Edit link and the edit page:
// the permission to edit at all, then the model's rule for this ask. Undefined: allowed.
export function askEditRefusal(ask: AskDetail, user: User | undefined): "forbidden" | "not-editable" | undefined {
  if (!user) return "forbidden";
  if (can(user, "ask:edit-any")) return undefined;
  if (!can(user, "ask:create")) return "forbidden";
  return editRefusal(
    {
      ...ask,
      statusSlug: ask.status.slug,
      duplicateOfId: ask.duplicateOf?.id ?? null,
      answered: teamAnswered(ask.id),
    },
    user,
  );
}

// An ask's earlier versions, newest first, each as a word diff against the version that
// replaced it: the newest against the ask as it reads now, each older one against the next.
export function revisionDiffs(ask: Pick<AskDetail, "id" | "title" | "body" | "category">) {
  let newer: { title: string; body: string; category: string | null } = ask;
  return listRevisions(ask.id).map((r) => {
    const diff = {
      id: r.id,
      editorId: r.editorId,
      editor: r.editor,
      editorProfileHidden: r.editorProfileHidden,
      // A team's edit is named as one on the page; an author's fix is not.
      byTeam: r.editorRole !== "member",
      editorTeam: r.editorTeam,
      createdAt: r.createdAt,
      title: diffWords(r.title, newer.title),
      body: diffWords(r.body, newer.body),
      category:
        r.category === newer.category
          ? null
          : { before: r.category ?? deletedCategory, after: newer.category ?? deletedCategory },
    };
    newer = r;
    return diff;
  });
}

export type RevisionDiff = ReturnType<typeof revisionDiffs>[number];

const deletedCategory = "a category since deleted";
