import type { LoaderFunctionArgs } from "@remix-run/node";
import { feedEntryLimit } from "~/models/feed.server";
import { atomContentType, atomFeed, tagUri, xmlText } from "~/services/atom.server";
import { searchAsks } from "~/services/search-query.server";
import { askPath } from "~/slug";
import { parseSearchText } from "~/validation/fields";

// GET /search.atom?q=… — the asks matching a search, most relevant first, for
// people who want to hear when something about their topic moves. Only what a
// visitor may see: feeds are fetched without a session.
export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const q = parseSearchText(url.searchParams.get("q"));
  const outcome = searchAsks({ q, page: 1, limit: feedEntryLimit, includeHidden: false });
  if (!outcome.ok) return new Response("Add a search query: /search.atom?q=words", { status: 400 });
  const results = outcome.results;
  const body = atomFeed({
    id: tagUri(url.origin, `search:${encodeURIComponent(q)}`),
    title: `Asklog: asks matching “${q}”`,
    updated:
      results
        .map((r) => r.updatedAt)
        .sort()
        .at(-1) ?? new Date(0).toISOString(),
    selfUrl: url.href,
    alternateUrl: `${url.origin}/search?q=${encodeURIComponent(q)}`,
    entries: results.map((r) => ({
      id: tagUri(url.origin, `ask:${r.id}`),
      title: `${r.title} (${r.status.name})`,
      updated: r.updatedAt,
      published: r.createdAt,
      authorName: r.organization ? `${r.author} (${r.organization})` : r.author,
      link: `${url.origin}${askPath(r)}`,
      // Plain text made safe here; the feed writer then escapes it once more as XML.
      contentHtml: `<p>${xmlText(`${r.status.name} · ${r.voteCount} votes · ${r.commentCount} comments`)}</p><p>${xmlText(
        r.match.parts.map((p) => p.text).join(""),
      )}</p>`,
    })),
  });
  return new Response(body, { headers: { "Content-Type": atomContentType, "Cache-Control": "public, max-age=300" } });
}
