import type { LoaderFunctionArgs } from "@remix-run/node";
import { similarAsks } from "~/models/search.server";

// GET /api/asks/similar?title=… — existing asks a partner may want to vote on
// instead of filing a new one; asked for while they type a title.
export async function loader({ request }: LoaderFunctionArgs) {
  const title = (new URL(request.url).searchParams.get("title") ?? "").slice(0, 200);
  return { similar: similarAsks(title) };
}
