import { type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { getAsk } from "~/models/ask.server";
import { listAskFeedItems } from "~/models/feed.server";
import { askFeed, askFeedPath, atomContentType } from "~/services/atom.server";
import { userCan } from "~/services/permission.server";
import { parseAskParam } from "~/slug";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = parseAskParam(params.ask);
  const ask = id ? getAsk(id) : undefined;
  // Hidden asks are gone for everyone who may not moderate them, feeds included.
  if (!ask || (ask.hiddenAt && !(await userCan(request, "ask:moderate")))) {
    throw new Response("Ask not found", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  }
  // Old or mistyped slugs still find the feed; readers learn the current address.
  if (params.ask !== `${ask.id}-${ask.slug}`) throw redirect(askFeedPath(ask), 301);
  return new Response(askFeed(new URL(request.url).origin, ask, listAskFeedItems(ask.id)), {
    headers: {
      "Content-Type": atomContentType,
      // Only a moderator gets a hidden ask's feed: no shared cache may keep that one.
      "Cache-Control": ask.hiddenAt ? "private, no-store" : "public, max-age=300",
    },
  });
}
