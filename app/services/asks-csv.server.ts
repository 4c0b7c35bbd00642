import { stringify } from "csv-stringify/sync";
import { type AskSummary, teamsOfAsks } from "~/models/ask.server";
import { askPath } from "~/slug";
import type { ListPager } from "./ask-lists.server";

// A list or search result as a CSV file, every matching ask of it, not one page: the list's
// own pager is walked in large pages, each written out as it is read, so a list of
// 100,000 asks never sits in memory whole.

const rowsPerPage = 500;

const columns = [
  "number",
  "title",
  "url",
  "status",
  "category",
  "team",
  "author",
  "organization",
  "votes",
  "comments",
  "created_at",
  "updated_at",
] as const;

function rowsOf(asks: AskSummary[], origin: string): Record<(typeof columns)[number], string | number>[] {
  const teams = teamsOfAsks(asks.map((a) => a.id));
  return asks.map((ask) => ({
    number: ask.id,
    title: ask.title,
    url: `${origin}${askPath(ask)}`,
    status: ask.status.name,
    category: ask.category,
    team: teams.get(ask.id) ?? "",
    author: ask.author,
    organization: ask.organization ?? "",
    votes: ask.voteCount,
    comments: ask.commentCount,
    created_at: ask.createdAt,
    updated_at: ask.updatedAt,
  }));
}

// The CSV download of a list: `name` becomes asklog-<name>-YYYY-MM-DD.csv.
export function asksCsvResponse(pager: ListPager, { origin, name }: { origin: string; name: string }): Response {
  let page = 1;
  let done = false;
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (done) {
        controller.close();
        return;
      }
      const { asks } = pager(page, rowsPerPage);
      // A byte-order mark so spreadsheet programs read the file as UTF-8.
      const text = stringify(rowsOf(asks, origin), { header: page === 1, bom: page === 1, columns: [...columns] });
      page += 1;
      done = asks.length < rowsPerPage;
      controller.enqueue(encoder.encode(text));
    },
  });
  const day = new Date().toISOString().slice(0, 10);
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="asklog-${name}-${day}.csv"`,
      // What a list holds depends on who reads it (hidden asks, "my asks").
      "Cache-Control": "private, no-store",
    },
  });
}
