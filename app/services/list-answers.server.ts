import { data } from "@remix-run/node";
import type { ListPage } from "~/list-intents";
import type { NameChange } from "~/models/named-list.server";
import type { Done, Refused, Result } from "~/models/result";
import { parseId } from "~/validation/fields";
import { refuse } from "~/validation/intent";
import { redirectWithNotice } from "./notice.server";
import { requirePermission } from "./permission.server";

// The admin pages for lists of named things (teams, categories, statuses) load and answer
// alike: a change goes back to the list with a saved notice, a row that is gone is a 404,
// and a refusal the person can act on shows next to the field it is about.

// Every row, and the one ?edit= opens.
export async function loadList<T extends { id: number }>(request: Request, list: ListPage, read: () => T[]) {
  await requirePermission(request, list.permission);
  const rows = read();
  const editId = parseId(new URL(request.url).searchParams.get("edit"));
  return { rows, editing: rows.find((row) => row.id === editId) ?? null };
}

const notFound = ({ noun }: ListPage) => data(`${noun} not found`, { status: 404 });

// Added, renamed or updated.
export function answerSaved(list: ListPage, result: NameChange, notice: string) {
  if (result.ok) return redirectWithNotice(list.page, notice);
  if (result.reason === "not-found") throw notFound(list);
  return refuse({ name: `Another ${list.noun.toLowerCase()} already has this name.` });
}

export function answerMoved(list: ListPage, result: Result<"not-found">, direction: "up" | "down") {
  if (!result.ok) throw notFound(list);
  return redirectWithNotice(list.page, `${list.noun} moved ${direction}.`);
}

// `whyKept` says why a row that is still there cannot go (in use, built in, the last one).
export function answerDeleted<R extends Refused<string>>(
  list: ListPage,
  result: Done | Refused<"not-found"> | R,
  whyKept: (refusal: R) => string,
) {
  if (result.ok) return redirectWithNotice(list.page, `${list.noun} deleted.`);
  if (isNotFound(result)) throw notFound(list);
  return refuse({ form: whyKept(result) }, 409);
}

function isNotFound(result: Refused<string>): result is Refused<"not-found"> {
  return result.reason === "not-found";
}
