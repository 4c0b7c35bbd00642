import type { LoaderFunctionArgs } from "@remix-run/node";
import { jsonResponse } from "~/services/json-response.server";
import { similarAsks } from "~/services/search-query.server";
import { parseSearchText } from "~/validation/fields";

const shown = 5;

// GET /api/asks/similar?title=… — existing asks a partner may want to vote on
// instead of filing a new one; asked for while they type a title. Asks whose status takes no more
// votes (completed, declined) are left out: the hint says "vote there".
export async function loader({ request }: LoaderFunctionArgs) {
  const title = parseSearchText(new URL(request.url).searchParams.get("title"));
  const open = similarAsks(title, shown * 2).filter((ask) => ask.status.acceptsVotes);
  return jsonResponse({ similar: open.slice(0, shown) });
}
