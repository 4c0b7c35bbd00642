import type { LoaderFunctionArgs } from "@remix-run/node";
import { jsonResponse } from "~/services/json-response.server";
import { userCan } from "~/services/permission.server";
import { searchAsks } from "~/services/search-query.server";

// GET /api/search?q=…&limit=… — as-you-type results, the same search as the page's
// (the last word matches as a prefix). Also usable by other tools: JSON, the same visibility rules as the page.
export async function loader({ request }: LoaderFunctionArgs) {
  const params = new URL(request.url).searchParams;
  const limit = Math.min(Math.max(Number(params.get("limit")) || 8, 1), 20);
  const results = searchAsks({
    q: params.get("q") ?? "",
    page: 1,
    limit,
    includeHidden: await userCan(request, "ask:moderate"),
  });
  return jsonResponse(results);
}
