import type { LoaderFunctionArgs } from "@remix-run/node";
import { readTriageQueue } from "~/services/ask-lists.server";
import { asksCsvResponse } from "~/services/asks-csv.server";
import { requirePermission } from "~/services/permission.server";

// GET /triage.csv?view=…&team=… — a triage queue, every ask in it, for team members.
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "ask:triage");
  const url = new URL(request.url);
  const { view, pager } = readTriageQueue(url.searchParams, user);
  return asksCsvResponse(pager, { origin: url.origin, name: `triage-${view}` });
}
