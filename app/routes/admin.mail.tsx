import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { type Column, DataTable } from "~/components/data-table";
import { plural } from "~/components/format";
import { Pagination } from "~/components/pagination";
import { QueryTabs } from "~/components/query-tabs";
import { Time } from "~/components/time";
import { outboxStates } from "~/domain";
import { mailPurposeLabels, mailStateLabels } from "~/mail-labels";
import { listMail, mailCounts, mailPageSize } from "~/models/outbox.server";
import { redirectPastEnd } from "~/services/list-viewer.server";
import { requirePermission } from "~/services/permission.server";
import { settings } from "~/settings.server";
import { parsePage } from "~/validation/fields";

export const meta: MetaFunction = () => [{ title: "Mail · Admin · Asklog" }];

const tabs = ["all", ...outboxStates] as const;
type Tab = (typeof tabs)[number];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "admin:mail");
  const params = new URL(request.url).searchParams;
  const tab = tabs.find((t) => t === params.get("state")) ?? "all";
  const page = parsePage(params.get("page"));
  const { rows, total } = listMail({ state: tab === "all" ? undefined : tab, page });
  redirectPastEnd(request, page, total, mailPageSize);
  return {
    tab,
    page,
    total,
    pageSize: mailPageSize,
    counts: mailCounts(),
    // Without an SMTP server nothing leaves: the messages are kept to be read here.
    kept: settings().mail.smtpUrl === undefined,
    rows,
  };
}

type Row = ReturnType<typeof useLoaderData<typeof loader>>["rows"][number];

const columns: Column<Row>[] = [
  {
    header: "Subject",
    rowHeader: true,
    cell: (m) => <Link to={`/admin/mail/${m.id}`}>{m.subject}</Link>,
  },
  { header: "To", cell: (m) => m.toAddress },
  { header: "Purpose", cell: (m) => mailPurposeLabels[m.purpose] },
  { header: "State", cell: (m) => <span className={`mail-state ${m.state}`}>{mailStateLabels[m.state]}</span> },
  { header: "Attempts", numeric: true, cell: (m) => m.attempts },
  { header: "Last error", cell: (m) => m.lastError ?? <span className="muted">—</span> },
  { header: "Created", cell: (m) => <Time value={m.createdAt} relative /> },
  { header: "Sent", cell: (m) => (m.sentAt ? <Time value={m.sentAt} relative /> : <span className="muted">—</span>) },
];

export default function AdminMail() {
  const { tab, page, total, pageSize, counts, kept, rows } = useLoaderData<typeof loader>();
  const all = counts.pending + counts.sent + counts.dead;
  const labels: Record<Tab, string> = {
    all: `All (${all})`,
    pending: `${mailStateLabels.pending} (${counts.pending})`,
    sent: `${mailStateLabels.sent} (${counts.sent})`,
    dead: `${mailStateLabels.dead} (${counts.dead})`,
  };
  return (
    <>
      <h1>Mail</h1>
      {kept ? (
        <p className="notice">
          No SMTP server is set (<code>SMTP_URL</code>), so mail is not sent anywhere: every message is kept here, and
          each can be read as its recipient would see it.
        </p>
      ) : null}
      <p className="muted">
        {plural(counts.pending, "message")} waiting, {counts.sent} sent, {counts.dead} failed for good.
      </p>
      <QueryTabs label="Mail by state" param="state" tabs={tabs} labels={labels} current={tab} />
      {rows.length ? (
        <div className="mail-table">
          <DataTable
            caption={tab === "all" ? "Mail, newest first" : `${mailStateLabels[tab]} mail, newest first`}
            captionHidden
            columns={columns}
            rows={rows}
            rowKey={(m) => m.id}
          />
        </div>
      ) : (
        <p>{tab === "all" ? "No mail yet." : `No ${mailStateLabels[tab].toLowerCase()} mail.`}</p>
      )}
      <Pagination page={page} total={total} pageSize={pageSize} />
    </>
  );
}
