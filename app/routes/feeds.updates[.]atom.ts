import type { LoaderFunctionArgs } from "@remix-run/node";
import { updatesFeed } from "~/models/feed.server";
import { atomContentType } from "~/services/atom.server";

// The same document for everyone (hidden asks are left out for all), so shared caches may keep it briefly.
export async function loader({ request }: LoaderFunctionArgs) {
  return new Response(updatesFeed(new URL(request.url).origin), {
    headers: { "Content-Type": atomContentType, "Cache-Control": "public, max-age=300" },
  });
}
