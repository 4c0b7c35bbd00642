import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { type Column, DataTable } from "~/components/data-table";
import { plural } from "~/components/format";
import { Pagination } from "~/components/pagination";
import { choices, type FilterDefinition, SelectFilters } from "~/components/select-filter";
import { type AuditSubjectType, auditSubjectTypes } from "~/domain";
import { auditPageSize, listAudit, listAuditActors } from "~/models/audit.server";
import { requirePermission } from "~/services/permission.server";
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

// One value of a change as a short line of text; cut by code points, so an emoji is never split in two.
function show(value: unknown): string {
  if (value === undefined || value === null) return "—";
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
};

function subjectLabel(type: string): string {
  const known = auditSubjectTypes.find((t) => t === type);
  return known ? subjectLabels[known] : type;
}

function subjectHref(type: string, id: number): string | undefined {
  if (type === "ask") return `/asks/${id}`;
  if (type === "user") return `/admin/users?edit=${id}#edit-user`;
  return undefined;
}

type Entry = ReturnType<typeof useLoaderData<typeof loader>>["entries"][number];

const columns: Column<Entry>[] = [
  {
    header: "When (UTC)",
    cell: (e) => <time dateTime={e.createdAt}>{e.createdAt.slice(0, 16).replace("T", " ")}</time>,
  },
  { header: "Who", cell: (e) => e.actor ?? "—" },
  { header: "Action", cell: (e) => <code>{e.action}</code> },
  {
    header: "Subject",
    cell: (e) => {
      const href = subjectHref(e.subjectType, e.subjectId);
      const subject = `${subjectLabel(e.subjectType)} #${e.subjectId}`;
      return href ? <Link to={href}>{subject}</Link> : subject;
    },
  },
  {
    header: "Change",
    cell: (e) =>
      e.changes.length ? (
        <ul className="changes">
          {e.changes.map((c) => (
            <li key={c.field}>
              {c.field ? <strong>{c.field}: </strong> : null}
              {c.before} → {c.after}
            </li>
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
