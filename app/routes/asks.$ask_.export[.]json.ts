import { type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { getAsk } from "~/models/ask.server";
import { askExport } from "~/models/export.server";
import { can } from "~/services/permission.server";
import { getUser } from "~/services/session.server";
import { askPath, parseAskParam } from "~/slug";

const notFound = () =>
  new Response("Ask not found", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });

// GET /asks/<ask>/export.json — one ask in the import format, with the people, teams and statuses
// it names. Admins get everything; everyone else what a visitor can read (no addresses, no hidden
// asks or comments), which leaves a hidden ask nothing to export.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await getUser(request);
  const id = parseAskParam(params.ask);
  const ask = id ? getAsk(id) : undefined;
  if (!ask || (ask.hiddenAt && !can(user, "ask:moderate"))) throw notFound();
  if (params.ask !== `${ask.id}-${ask.slug}`) throw redirect(`${askPath(ask)}/export.json`, 301);
  const admin = can(user, "export:site");
  const document = askExport(ask.id, admin ? "admin" : "public");
  if (!document) throw notFound();
  return new Response(`${JSON.stringify(document, null, 2)}\n`, {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="asklog-ask-${ask.id}.json"`,
      // An admin's copy carries addresses: no shared cache may keep it.
      "Cache-Control": admin ? "private, no-store" : "public, max-age=300",
    },
  });
}
