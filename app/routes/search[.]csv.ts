import type { LoaderFunctionArgs } from "@remix-run/node";
import { listCategories } from "~/models/category.server";
import { listStatuses } from "~/models/status.server";
import { listTeams } from "~/models/team.server";
import { asksCsvResponse } from "~/services/asks-csv.server";
import { can } from "~/services/permission.server";
import { parseSearchQuery, searchAsks, searchMessages } from "~/services/search-query.server";
import { getUser } from "~/services/session.server";
import { readSearchParams } from "~/validation/search";

// GET /search.csv?q=…&status=…&category=…&team=…&from=…&to=… — a search's results, best first, all of them.
export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const { filter } = readSearchParams(url.searchParams, {
    statuses: listStatuses(),
    categories: listCategories(),
    teams: listTeams(),
  });
  const includeHidden = can(await getUser(request), "ask:moderate");
  const query = parseSearchQuery(filter.q);
  if (!query.ok) {
    return new Response(searchMessages[query.reason], {
      status: 400,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  }
  return asksCsvResponse(
    (page, limit) => {
      const outcome = searchAsks({ ...filter, page, limit, includeHidden });
      return outcome.ok ? { asks: outcome.results, total: outcome.total } : { asks: [], total: 0 };
    },
    { origin: url.origin, name: "search" },
  );
}
