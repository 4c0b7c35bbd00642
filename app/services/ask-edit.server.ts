import type { AskDetail } from "~/models/ask.server";
import { editRefusal } from "~/models/ask-edit.server";
import type { User } from "~/models/user.server";
import { can } from "./permission.server";

// Whether the person may edit the ask now, for the ask page's Edit link and the edit page:
// the permission to edit at all, then the model's rule for this ask. Undefined: allowed.
export function askEditRefusal(ask: AskDetail, user: User | undefined): "forbidden" | "not-editable" | undefined {
  if (!user) return "forbidden";
  if (can(user, "ask:edit-any")) return undefined;
  if (!can(user, "ask:create")) return "forbidden";
  return editRefusal({ ...ask, statusSlug: ask.status.slug, duplicateOfId: ask.duplicateOf?.id ?? null }, user);
}
