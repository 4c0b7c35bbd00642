import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { type Column, DataTable } from "~/components/data-table";
import { plural } from "~/components/format";
import { Pagination } from "~/components/pagination";
import { choices, type FilterDefinition, SelectFilters } from "~/components/select-filter";
import { Time } from "~/components/time";
import { type AuditSubjectType, auditSubjectTypes } from "~/domain";
import { auditPageSize, listAudit, listAuditActors } from "~/models/audit.server";
import { requirePermission } from "~/services/permission.server";
import { askPath } from "~/slug";
import { parseId, parsePage } from "~/validation/fields";

export const meta: MetaFunction = () => [{ title: "Audit log · Admin · Asklog" }];

const actionMax = 60;

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "admin:audit");
  const params = new URL(request.url).searchParams;
  const action = (params.get("action") ?? "").trim().slice(0, actionMax);
  const actorId = parseId(params.get("actor"));
  const subjectType = auditSubjectTypes.find((t) => t === params.get("subject"));
  const page = parsePage(params.get("page"));
  const { entries, total } = listAudit({ action: action || undefined, actorId, subjectType, page });
  return {
    entries: entries.map((entry) => ({
      ...entry,
      changes: entry.changes.map((c) => ({ field: c.field, before: show(c.before), after: show(c.after) })),
    })),
    total,
    page,
    pageSize: auditPageSize,
    filter: { action, actor: actorId ? String(actorId) : "", subject: subjectType ?? "" },
    actors: listAuditActors(),
  };
}

// One value of a change as a short line of text, or null when that side had none; cut by code points,
// so an emoji is never split in two.
function show(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  const text = typeof value === "string" ? value : JSON.stringify(value);
  const chars = [...text];
  return chars.length > 120 ? `${chars.slice(0, 119).join("")}…` : text;
}

const subjectLabels: Record<AuditSubjectType, string> = {
  ask: "Ask",
  comment: "Comment",
  status_update: "Status update",
  user: "User",
  team: "Team",
  category: "Category",
  status: "Status",
  mail: "Mail",
  import: "Import",
  organization: "Organization",
  setting: "Setting",
  token: "API token",
  webhook: "Webhook",
};

function subjectLabel(type: string): string {
  const known = auditSubjectTypes.find((t) => t === type);
  return known ? subjectLabels[known] : type;
}

type Entry = ReturnType<typeof useLoaderData<typeof loader>>["entries"][number];

const adminPages: Partial<Record<string, string>> = {
  user: "/admin/users?edit={id}#edit-user",
  team: "/admin/teams?edit={id}#edit-team",
  category: "/admin/categories?edit={id}#edit-category",
  status: "/admin/statuses?edit={id}#edit-status",
  webhook: "/admin/webhooks/{id}",
  organization: "/admin/orgs?edit={id}#edit-organization",
  setting: "/admin/settings",
  token: "/admin/tokens",
};

// Where the subject can be seen now: its ask (at the comment or status update), or its admin page.
// A deleted comment leaves its thread, so only its ask is linked.
function subjectHref({ subjectType, subjectId, subject }: Entry): string | undefined {
  if (subject.ask) {
    const page = askPath(subject.ask);
    if (subjectType === "comment") return subject.exists ? `${page}#comment-${subjectId}` : page;
    if (subjectType === "status_update") return `${page}#status-update-${subjectId}`;
    return page;
  }
  const admin = subject.exists ? adminPages[subjectType] : undefined;
  return admin?.replace("{id}", String(subjectId));
}

function Subject({ entry }: { entry: Entry }) {
  const href = subjectHref(entry);
  // Site settings are one subject, with no number of their own.
  const number = entry.subjectType === "setting" ? "" : ` #${entry.subjectId}`;
  const text = `${subjectLabel(entry.subjectType)}${number}${entry.subject.name ? `: ${entry.subject.name}` : ""}`;
  return (
    <>
      {href ? <Link to={href}>{text}</Link> : text}
      {entry.subject.exists ? null : <span className="muted"> (deleted)</span>}
    </>
  );
}

// Before and after as a small diff: the old value struck through, the new one marked, each also named
// in words for screen readers, since <del> and <ins> are not announced everywhere.
function Change({ change }: { change: Entry["changes"][number] }) {
  return (
    <li>
      {change.field ? <strong>{change.field}: </strong> : null}
      {change.before === null ? null : (
        <del>
          <span className="visually-hidden">{change.after === null ? "removed " : "was "}</span>
          {change.before}
        </del>
      )}
      {change.before !== null && change.after !== null ? <span aria-hidden="true"> → </span> : null}
      {change.after === null ? null : (
        <ins>
          <span className="visually-hidden">{change.before === null ? "added " : "now "}</span>
          {change.after}
        </ins>
      )}
    </li>
  );
}

const columns: Column<Entry>[] = [
  { header: "When", cell: (e) => <Time value={e.createdAt} relative /> },
  { header: "Who", cell: (e) => e.actor ?? "—" },
  { header: "Action", cell: (e) => <code>{e.action}</code> },
  { header: "Subject", cell: (e) => <Subject entry={e} /> },
  {
    header: "Change",
    cell: (e) =>
      e.changes.length ? (
        <ul className="changes">
          {e.changes.map((c) => (
            <Change key={c.field} change={c} />
          ))}
        </ul>
      ) : (
        <span className="muted">—</span>
      ),
  },
];

export default function AdminAudit() {
  const { entries, total, page, pageSize, filter, actors } = useLoaderData<typeof loader>();

  const subjectOptions = auditSubjectTypes.map((t) => ({ value: t, label: subjectLabels[t] }));
  const filters: FilterDefinition[] = [
    {
      name: "actor",
      label: "Who",
      anyLabel: "Anyone",
      value: filter.actor,
      options: choices(actors, "id", "displayName"),
    },
    { name: "subject", label: "Subject", anyLabel: "Any subject", value: filter.subject, options: subjectOptions },
  ];
  return (
    <>
      <h1>Audit log</h1>
      <Form method="get" className="filters" aria-label="Filter the audit log">
        <div className="field">
          <label htmlFor="audit-action">Action starts with</label>
          <input
            id="audit-action"
            name="action"
            type="search"
            maxLength={actionMax}
            defaultValue={filter.action}
            aria-describedby="audit-action-hint"
          />
          <p className="hint" id="audit-action-hint">
            Like <code>user.</code> or <code>status_update.</code>
          </p>
        </div>
        <SelectFilters idPrefix="audit-" filters={filters} />
        <button type="submit">Filter</button>
      </Form>
      <p className="muted" aria-live="polite">
        {plural(total, "entry", "entries")}
      </p>
      {entries.length ? (
        <DataTable
          caption="Audit entries, newest first"
          captionHidden
          columns={columns}
          rows={entries}
          rowKey={(e) => e.id}
        />
      ) : (
        <p>No entries match.</p>
      )}
      <Pagination page={page} total={total} pageSize={pageSize} />
    </>
  );
}
