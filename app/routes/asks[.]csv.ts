import type { LoaderFunctionArgs } from "@remix-run/node";
import { readHomeList } from "~/services/ask-lists.server";
import { asksCsvResponse } from "~/services/asks-csv.server";
import { getUser } from "~/services/session.server";

// GET /asks.csv?sort=…&status=…&category=…&q=… — the home list with the same filters, every ask of it.
export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const { pager } = readHomeList(url.searchParams, await getUser(request));
  return asksCsvResponse(pager, { origin: url.origin, name: "asks" });
}
