import type { LoaderFunctionArgs } from "@remix-run/node";
import { listMyAsks } from "~/models/ask.server";
import { asksCsvResponse } from "~/services/asks-csv.server";
import { requireUser } from "~/services/session.server";
import { myAskTabs } from "~/validation/query";

// GET /my-asks.csv?tab=… — the signed-in person's asks on that tab, all of them.
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const url = new URL(request.url);
  const tab = myAskTabs.find((t) => t === url.searchParams.get("tab")) ?? "filed";
  return asksCsvResponse((page, size) => listMyAsks(user.id, tab, page, size), {
    origin: url.origin,
    name: `my-asks-${tab}`,
  });
}
