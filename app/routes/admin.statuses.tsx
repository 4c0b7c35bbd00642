import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { minContrast } from "~/color";
import { actionsColumn, type Placed, placeColumn, withPlaces } from "~/components/admin-list";
import { type Column, DataTable } from "~/components/data-table";
import { Field } from "~/components/field";
import { InputField } from "~/components/form-fields";
import { plural } from "~/components/format";
import { NameField } from "~/components/name-field";
import { DeleteForm } from "~/components/rename-panel";
import { StatusBadge } from "~/components/status-badge";
import { roadmapColumnLabels, roadmapColumns } from "~/domain";
import {
  createStatus,
  deleteStatus,
  listStatusesWithCounts,
  moveStatus,
  type StatusDeletion,
  type StatusWithCounts,
  updateStatus,
} from "~/models/status.server";
import { handleIntents } from "~/services/form-action.server";
import { answerDeleted, answerMoved, answerSaved, loadList } from "~/services/list-answers.server";
import { moveSchema, rowSchema, statusSchema, statusUpdateSchema } from "~/validation/admin";
import type { FieldErrors } from "~/validation/form";
import { intentsFor } from "~/validation/intent";

export const meta: MetaFunction = () => [{ title: "Statuses · Admin · Asklog" }];

const list = { noun: "Status", page: "/admin/statuses", permission: "admin:statuses" } as const;

export const loader = ({ request }: LoaderFunctionArgs) => loadList(request, list, listStatusesWithCounts);

const intent = intentsFor();
const intents = () => ({
  create: intent({
    permission: list.permission,
    schema: statusSchema,
    run: ({ input, user }) =>
      answerSaved(list, createStatus({ ...input, actorId: user.id }), `Status ${input.name} added.`),
  }),
  update: intent({
    permission: list.permission,
    schema: statusUpdateSchema,
    run: ({ input, user }) =>
      answerSaved(list, updateStatus({ ...input, actorId: user.id }), `Status ${input.name} saved.`),
  }),
  move: intent({
    permission: list.permission,
    schema: moveSchema,
    run: ({ input, user }) => answerMoved(list, moveStatus({ ...input, actorId: user.id }), input.direction),
  }),
  delete: intent({
    permission: list.permission,
    schema: rowSchema,
    run: ({ input, user }) => answerDeleted(list, deleteStatus({ ...input, actorId: user.id }), whyKept),
  }),
});

export async function action({ request }: ActionFunctionArgs) {
  return handleIntents(request, intents());
}

function whyKept(result: Exclude<StatusDeletion, { ok: true } | { reason: "not-found" }>): string {
  if (result.reason === "built-in") {
    return "This is one of the seven built-in statuses the app relies on; it can be renamed but not deleted.";
  }
  const uses = [
    result.askCount ? plural(result.askCount, "ask") : null,
    result.statusUpdateCount ? plural(result.statusUpdateCount, "status update") : null,
  ].filter(Boolean);
  const verb = uses.length === 1 && uses[0]?.startsWith("1 ") ? "uses" : "use";
  // Status history keeps the status it recorded, so such a status can only be renamed.
  const advice = result.statusUpdateCount
    ? "A status named in status history stays; rename it instead."
    : `Move ${result.askCount === 1 ? "it" : "them"} to another status first.`;
  return `${uses.join(" and ")} ${verb} this status, so it cannot be deleted. ${advice}`;
}

const columns: Column<Placed<StatusWithCounts>>[] = [
  placeColumn,
  { header: "Status", cell: (s) => <StatusBadge status={s} />, rowHeader: true },
  {
    header: "Slug",
    cell: (s) => (
      <>
        <code>{s.slug}</code>
        {s.builtIn ? <span className="muted"> (built-in)</span> : null}
      </>
    ),
  },
  { header: "Open or closed", cell: (s) => (s.isClosed ? "Closed" : "Open") },
  { header: "Votes", cell: (s) => (s.acceptsVotes ? "Accepted" : "Not accepted") },
  { header: "Roadmap", cell: (s) => (s.roadmapColumn ? roadmapColumnLabels[s.roadmapColumn] : "Not shown") },
  { header: "Asks", cell: (s) => s.askCount, numeric: true },
  { header: "Status updates", cell: (s) => s.statusUpdateCount, numeric: true },
  actionsColumn("status"),
];

export default function AdminStatuses() {
  const { rows: statuses, editing } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const created = reply?.intent === "create" ? reply : undefined;
  return (
    <>
      <h1>Statuses</h1>
      <p className="muted">
        Asks move through these in order. Closed statuses end an ask; only statuses that accept votes let partners vote.
        The roadmap column says where the public <Link to="/roadmap">roadmap</Link> shows asks in a status.
      </p>
      {editing ? <EditStatus key={editing.id} status={editing} reply={reply} /> : null}
      <DataTable
        caption="Statuses, in workflow order"
        captionHidden
        columns={columns}
        rows={withPlaces(statuses)}
        rowKey={(s) => s.id}
      />

      <h2>Add a status</h2>
      <Form method="post" action={list.page} noValidate>
        <StatusFields
          prefix="new-status"
          errors={created?.errors ?? {}}
          values={created?.values ?? { color: "#57606a", acceptsVotes: "on", roadmapColumn: "" }}
        />
        <button type="submit" name="intent" value="create">
          Add status
        </button>
      </Form>
    </>
  );
}

type StatusFieldsProps = { prefix: string; errors: FieldErrors; values: Record<string, string | undefined> };

function StatusFields({ prefix, errors, values }: StatusFieldsProps) {
  return (
    <>
      <NameField id={`${prefix}-name`} error={errors.name} value={values.name} />
      <InputField
        id={`${prefix}-color`}
        name="color"
        label="Badge color"
        error={errors.color}
        hint={`# and six hex digits, like #0969da. Badges have white text, so the color needs at least ${minContrast}:1 contrast with white.`}
        type="text"
        required
        pattern="#[0-9a-fA-F]{6}"
        maxLength={7}
        defaultValue={values.color}
      />
      <Field
        id={`${prefix}-roadmap-column`}
        label="Roadmap column"
        error={errors.roadmapColumn}
        hint="Where the public roadmap shows asks in this status. Recently completed shows those whose latest status update is from the last 90 days."
      >
        {(describedBy, invalid) => (
          <select
            id={`${prefix}-roadmap-column`}
            name="roadmapColumn"
            defaultValue={values.roadmapColumn ?? ""}
            aria-describedby={describedBy}
            aria-invalid={invalid || undefined}
          >
            <option value="">None: not on the roadmap</option>
            {roadmapColumns.map((column) => (
              <option key={column} value={column}>
                {roadmapColumnLabels[column]}
              </option>
            ))}
          </select>
        )}
      </Field>
      {/* Not in a .field: its full-width inputs would stretch the checkbox. */}
      <p>
        <label>
          <input type="checkbox" name="isClosed" defaultChecked={values.isClosed === "on"} /> Closed: asks here are
          finished (like completed, declined, duplicate)
        </label>
      </p>
      <p>
        <label>
          <input type="checkbox" name="acceptsVotes" defaultChecked={values.acceptsVotes === "on"} /> Accepts votes
        </label>
      </p>
    </>
  );
}

type EditStatusProps = {
  status: StatusWithCounts;
  reply: ReturnType<typeof useActionData<typeof action>>;
};

function EditStatus({ status, reply }: EditStatusProps) {
  const updated = reply?.intent === "update" ? reply : undefined;
  const deleteError = reply?.intent === "delete" ? reply.errors.form : undefined;
  const values = updated?.values ?? {
    name: status.name,
    color: status.color,
    isClosed: status.isClosed ? "on" : undefined,
    acceptsVotes: status.acceptsVotes ? "on" : undefined,
    roadmapColumn: status.roadmapColumn ?? "",
  };
  return (
    <section id="edit-status" aria-labelledby="edit-status-title" className="notice">
      <h2 id="edit-status-title">
        Edit <StatusBadge status={status} />
      </h2>
      <Form method="post" noValidate>
        <input type="hidden" name="id" value={status.id} />
        <StatusFields prefix="status" errors={updated?.errors ?? {}} values={values} />
        <button type="submit" name="intent" value="update">
          Save status
        </button>
      </Form>
      {status.builtIn ? (
        <p className="muted">A built-in status: its slug stays the same whatever its name, and it cannot be deleted.</p>
      ) : (
        <DeleteForm noun="status" item={status} error={deleteError} />
      )}
      <p>
        <Link to={list.page}>Close</Link>
      </p>
    </section>
  );
}
