import type { LoaderFunctionArgs } from "@remix-run/node";
import { jsonResponse } from "~/services/json-response.server";
import { similarAsks } from "~/services/search-query.server";
import { parseId, parseSearchText } from "~/validation/fields";

// GET /api/asks/similar?title=…[&exclude=<id>] — existing asks a partner may want to vote on
// instead of filing a new one; asked for while they type a title. Only asks that still take votes.
// The edit page passes the ask being edited as `exclude`, so it is not offered as its own duplicate.
export async function loader({ request }: LoaderFunctionArgs) {
  const params = new URL(request.url).searchParams;
  const title = parseSearchText(params.get("title"));
  const excludeId = parseId(params.get("exclude"));
  return jsonResponse({ similar: similarAsks(title, { votable: true, excludeId }) });
}
