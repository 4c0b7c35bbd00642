import type { LoaderFunctionArgs } from "@remix-run/node";
import { jsonResponse } from "~/services/json-response.server";
import { similarAsks } from "~/services/search-query.server";
import { parseSearchText } from "~/validation/fields";

// GET /api/asks/similar?title=… — existing asks a partner may want to vote on
// instead of filing a new one; asked for while they type a title. Only asks that still take votes.
export async function loader({ request }: LoaderFunctionArgs) {
  const title = parseSearchText(new URL(request.url).searchParams.get("title"));
  return jsonResponse({ similar: similarAsks(title, { votable: true }) });
}
