import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { AskList } from "~/components/ask-row";
import { Pagination } from "~/components/pagination";
import { QueryTabs } from "~/components/query-tabs";
import { listMyAsks } from "~/models/ask.server";
import { requireUser } from "~/services/session.server";
import { pageSize, parsePage } from "~/validation/fields";
import { type MyAskTab, myAskTabs } from "~/validation/query";

export const meta: MetaFunction = () => [{ title: "My asks · Asklog" }];

const tabLabels: Record<MyAskTab, string> = { filed: "Filed", voted: "Voted", commented: "Commented" };
const emptyText: Record<MyAskTab, string> = {
  filed: "You have not filed an ask yet.",
  voted: "You have not voted on an ask yet.",
  commented: "You have not commented on an ask yet.",
};

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const params = new URL(request.url).searchParams;
  const tab = myAskTabs.find((t) => t === params.get("tab")) ?? "filed";
  const page = parsePage(params.get("page"));
  return { tab, page, ...listMyAsks(user.id, tab, page) };
}

export default function MyAsks() {
  const { tab, page, asks, total } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>My asks</h1>
      <QueryTabs label="My asks" param="tab" tabs={myAskTabs} labels={tabLabels} current={tab} />
      {asks.length ? (
        <AskList asks={asks} />
      ) : (
        <p>
          {emptyText[tab]} <Link to="/">Browse asks</Link>
        </p>
      )}
      <Pagination page={page} total={total} pageSize={pageSize} />
    </>
  );
}
