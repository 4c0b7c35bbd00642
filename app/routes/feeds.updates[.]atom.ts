import type { LoaderFunctionArgs } from "@remix-run/node";
import { listRecentStatusUpdates } from "~/models/feed.server";
import { atomContentType, updatesFeed } from "~/services/atom.server";

// The same document for everyone (hidden asks are left out for all), so shared caches may keep it briefly.
export async function loader({ request }: LoaderFunctionArgs) {
  return new Response(updatesFeed(new URL(request.url).origin, listRecentStatusUpdates()), {
    headers: { "Content-Type": atomContentType, "Cache-Control": "public, max-age=300" },
  });
}
