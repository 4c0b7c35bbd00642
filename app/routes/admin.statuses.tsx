import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { minContrast } from "~/color";
import { Field } from "~/components/field";
import { plural } from "~/components/format";
import { MoveButtons } from "~/components/move-buttons";
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
import { handleIntents, intentsFor, refuse } from "~/services/form-action.server";
import { redirectWithNotice } from "~/services/notice.server";
import { requirePermission } from "~/services/permission.server";
import { moveSchema, rowSchema, statusSchema, statusUpdateSchema } from "~/validation/admin";
import { parseId } from "~/validation/fields";
import type { FieldErrors } from "~/validation/form";

export const meta: MetaFunction = () => [{ title: "Statuses · Admin · Asklog" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "admin:statuses");
  const statuses = listStatusesWithCounts();
  const editId = parseId(new URL(request.url).searchParams.get("edit"));
  return { statuses, editing: statuses.find((s) => s.id === editId) ?? null };
}

const page = "/admin/statuses";
const nameTaken = "Another status already has this name.";
const notFound = () => data("Status not found", { status: 404 });
const intent = intentsFor();

const intents = {
  create: intent({
    permission: "admin:statuses",
    schema: statusSchema,
    run: ({ input, user }) => {
      const result = createStatus({ ...input, actorId: user.id });
      if (!result.ok) return refuse({ name: nameTaken });
      return redirectWithNotice(page, `Status ${input.name} added.`);
    },
  }),
  update: intent({
    permission: "admin:statuses",
    schema: statusUpdateSchema,
    run: ({ input, user }) => {
      const result = updateStatus({ ...input, actorId: user.id });
      if (result.ok) return redirectWithNotice(page, `Status ${input.name} saved.`);
      if (result.reason === "not-found") throw notFound();
      return refuse({ name: nameTaken });
    },
  }),
  move: intent({
    permission: "admin:statuses",
    schema: moveSchema,
    run: ({ input, user }) => {
      const result = moveStatus({ ...input, actorId: user.id });
      if (!result.ok) throw notFound();
      return redirectWithNotice(page, `Status moved ${input.direction}.`);
    },
  }),
  delete: intent({
    permission: "admin:statuses",
    schema: rowSchema,
    run: ({ input, user }) => {
      const result = deleteStatus({ id: input.id, actorId: user.id });
      if (result.ok) return redirectWithNotice(page, "Status deleted.");
      if (result.reason === "not-found") throw notFound();
      return refuse({ form: refusal(result) }, 409);
    },
  }),
};

export async function action({ request }: ActionFunctionArgs) {
  return handleIntents(request, intents);
}

function refusal(result: Exclude<StatusDeletion, { ok: true } | { reason: "not-found" }>): string {
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

export default function AdminStatuses() {
  const { statuses, editing } = useLoaderData<typeof loader>();
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
      <table>
        <caption className="visually-hidden">Statuses, in workflow order</caption>
        <thead>
          <tr>
            <th scope="col">Place</th>
            <th scope="col">Status</th>
            <th scope="col">Slug</th>
            <th scope="col">Open or closed</th>
            <th scope="col">Votes</th>
            <th scope="col">Roadmap</th>
            <th scope="col">Asks</th>
            <th scope="col">Status updates</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {statuses.map((s, i) => (
            <tr key={s.id}>
              <td>{i + 1}</td>
              <th scope="row">
                <StatusBadge status={s} />
              </th>
              <td>
                <code>{s.slug}</code>
                {s.builtIn ? <span className="muted"> (built-in)</span> : null}
              </td>
              <td>{s.isClosed ? "Closed" : "Open"}</td>
              <td>{s.acceptsVotes ? "Accepted" : "Not accepted"}</td>
              <td>{s.roadmapColumn ? roadmapColumnLabels[s.roadmapColumn] : "Not shown"}</td>
              <td>{s.askCount}</td>
              <td>{s.statusUpdateCount}</td>
              <td>
                <div className="actions">
                  <MoveButtons id={s.id} name={s.name} first={i === 0} last={i === statuses.length - 1} />
                  <Link to={`?edit=${s.id}#edit-status`}>
                    Edit<span className="visually-hidden"> {s.name}</span>
                  </Link>
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2>Add a status</h2>
      <Form method="post" action={page} noValidate>
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
      <Field
        id={`${prefix}-color`}
        label="Badge color"
        error={errors.color}
        hint={`# and six hex digits, like #0969da. Badges have white text, so the color needs at least ${minContrast}:1 contrast with white.`}
      >
        {(describedBy, invalid) => (
          <input
            id={`${prefix}-color`}
            name="color"
            type="text"
            required
            pattern="#[0-9a-fA-F]{6}"
            maxLength={7}
            defaultValue={values.color}
            aria-describedby={describedBy}
            aria-invalid={invalid || undefined}
          />
        )}
      </Field>
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
        <Link to="/admin/statuses">Close</Link>
      </p>
    </section>
  );
}
