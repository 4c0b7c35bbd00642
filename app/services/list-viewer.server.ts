import { redirect } from "@remix-run/node";
import { votedAskIds } from "~/models/ask.server";
import type { User } from "~/models/user.server";
import { can } from "./permission.server";

// Who is reading a list, for its rows' vote buttons: one query for the page's votes.
export function listViewer(user: User | undefined, askIds: readonly number[]) {
  return {
    signedIn: Boolean(user),
    canVote: can(user, "vote:cast"),
    votedIds: user ? votedAskIds(user.id, askIds) : [],
  };
}

// A page number past the end of a list goes to its last page (the first, when the list is empty),
// so the count above the list never sits over "no asks".
export function redirectPastEnd(request: Request, page: number, total: number, pageSize: number): void {
  const last = Math.max(1, Math.ceil(total / pageSize));
  if (page <= last) return;
  const url = new URL(request.url);
  if (last === 1) url.searchParams.delete("page");
  else url.searchParams.set("page", String(last));
  throw redirect(`${url.pathname}${url.search}`);
}
