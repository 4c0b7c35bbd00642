import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { AskList } from "~/components/ask-row";
import { CsvExportLink } from "~/components/csv-export-link";
import { EmptyState } from "~/components/empty-state";
import { Pagination } from "~/components/pagination";
import { QueryTabs } from "~/components/query-tabs";
import { listMyAsks } from "~/models/ask.server";
import { listViewer, redirectPastEnd } from "~/services/list-viewer.server";
import { requireUser } from "~/services/session.server";
import { pageSize, parsePage } from "~/validation/fields";
import { type MyAskTab, myAskTabs } from "~/validation/query";

export const meta: MetaFunction = () => [{ title: "My asks · Asklog" }];

const tabLabels: Record<MyAskTab, string> = {
  filed: "Filed",
  voted: "Voted",
  commented: "Commented",
  following: "Following",
};
const emptyText: Record<MyAskTab, { title: string; body: string }> = {
  filed: { title: "You have not filed an ask yet", body: "Asks you file show up here, with their status." },
  voted: { title: "You have not voted on an ask yet", body: "Vote for the asks that matter to you: they gather here." },
  commented: { title: "You have not commented on an ask yet", body: "Asks you join the conversation on gather here." },
  following: {
    title: "You do not follow any ask",
    body: "Follow an ask to hear when it moves. Filing, voting and commenting follow it for you, unless you turned that off in your account.",
  },
};

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const params = new URL(request.url).searchParams;
  const tab = myAskTabs.find((t) => t === params.get("tab")) ?? "filed";
  const page = parsePage(params.get("page"));
  const { asks, total } = listMyAsks(user.id, tab, page);
  redirectPastEnd(request, page, total, pageSize);
  return {
    tab,
    page,
    asks,
    total,
    viewer: listViewer(
      user,
      asks.map((a) => a.id),
    ),
  };
}

export default function MyAsks() {
  const { tab, page, asks, total, viewer } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>My asks</h1>
      <QueryTabs label="My asks" param="tab" tabs={myAskTabs} labels={tabLabels} current={tab} />
      {asks.length ? (
        <>
          <p className="muted">
            <CsvExportLink to="/my-asks.csv" what="these asks" />
          </p>
          <AskList asks={asks} viewer={viewer} />
        </>
      ) : (
        <EmptyState
          title={emptyText[tab].title}
          actions={
            <Link className="button" to="/">
              Browse asks
            </Link>
          }
        >
          <p>{emptyText[tab].body}</p>
        </EmptyState>
      )}
      <Pagination page={page} total={total} pageSize={pageSize} />
    </>
  );
}
