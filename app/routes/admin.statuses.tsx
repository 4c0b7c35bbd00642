import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Field } from "~/components/field";
import { plural } from "~/components/format";
import { StatusBadge } from "~/components/status-badge";
import {
  createStatus,
  deleteStatus,
  listStatusesWithCounts,
  moveStatus,
  type StatusDeletion,
  updateStatus,
} from "~/models/status.server";
import { refuseIntent } from "~/services/intent-reply.server";
import { requirePermission } from "~/services/permission.server";
import {
  formId,
  minContrast,
  moveSchema,
  nameMax,
  roadmapColumnLabels,
  roadmapColumns,
  statusSchema,
} from "~/validation/admin";
import { type FieldErrors, formValues, type IntentReply, parseForm } from "~/validation/form";

export const meta: MetaFunction = () => [{ title: "Statuses · Admin · Asklog" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "admin:statuses");
  const statuses = listStatusesWithCounts();
  const editId = formId(new URL(request.url).searchParams.get("edit"));
  return { statuses, editing: statuses.find((s) => s.id === editId) ?? null };
}

const nameTaken = "Another status already has this name.";

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requirePermission(request, "admin:statuses");
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");

  if (intent === "create") {
    const parsed = parseForm(statusSchema, form);
    if (!parsed.ok) return refuseIntent(intent, parsed.errors, parsed.values);
    const result = createStatus(admin.id, parsed.data);
    if (!result.ok) return refuseIntent(intent, { name: nameTaken }, formValues(form));
    return redirect("/admin/statuses");
  }

  const id = formId(form.get("id"));
  if (!id) throw data("Status not found", { status: 404 });

  if (intent === "update") {
    const parsed = parseForm(statusSchema, form);
    if (!parsed.ok) return refuseIntent(intent, parsed.errors, parsed.values);
    const result = updateStatus(admin.id, id, parsed.data);
    if (result.ok) return redirect("/admin/statuses");
    if (result.reason === "not-found") throw data("Status not found", { status: 404 });
    return refuseIntent(intent, { name: nameTaken }, formValues(form));
  }

  if (intent === "move") {
    const parsed = parseForm(moveSchema, form);
    if (!parsed.ok) throw data("Unknown direction", { status: 400 });
    if (!moveStatus(admin.id, id, parsed.data.direction)) throw data("Status not found", { status: 404 });
    return redirect("/admin/statuses");
  }

  if (intent === "delete") {
    const result = deleteStatus(admin.id, id);
    if (result.ok) return redirect("/admin/statuses");
    if (result.reason === "not-found") throw data("Status not found", { status: 404 });
    return refuseIntent(intent, { delete: refusal(result) }, {}, 409);
  }

  throw data("Unknown action", { status: 400 });
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
  const reply = useActionData<IntentReply>();
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
      <Form method="post" action="/admin/statuses" noValidate>
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

function MoveButtons({ id, name, first, last }: { id: number; name: string; first: boolean; last: boolean }) {
  return (
    <Form method="post" className="actions">
      <input type="hidden" name="id" value={id} />
      <input type="hidden" name="intent" value="move" />
      <button type="submit" name="direction" value="up" className="secondary" disabled={first}>
        Up<span className="visually-hidden"> {name}</span>
      </button>
      <button type="submit" name="direction" value="down" className="secondary" disabled={last}>
        Down<span className="visually-hidden"> {name}</span>
      </button>
    </Form>
  );
}

type StatusFieldsProps = { prefix: string; errors: FieldErrors; values: Record<string, string | undefined> };

function StatusFields({ prefix, errors, values }: StatusFieldsProps) {
  return (
    <>
      <Field id={`${prefix}-name`} label="Name" error={errors.name}>
        {(describedBy, invalid) => (
          <input
            id={`${prefix}-name`}
            name="name"
            type="text"
            required
            maxLength={nameMax}
            defaultValue={values.name}
            aria-describedby={describedBy}
            aria-invalid={invalid || undefined}
          />
        )}
      </Field>
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
  status: {
    id: number;
    name: string;
    color: string;
    isClosed: boolean;
    acceptsVotes: boolean;
    roadmapColumn: (typeof roadmapColumns)[number] | null;
    builtIn: boolean;
  };
  reply: IntentReply | undefined;
};

function EditStatus({ status, reply }: EditStatusProps) {
  const updated = reply?.intent === "update" ? reply : undefined;
  const deleteError = reply?.intent === "delete" ? reply.errors.delete : undefined;
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
        <Form method="post">
          <input type="hidden" name="id" value={status.id} />
          <p>
            <button
              type="submit"
              name="intent"
              value="delete"
              className="secondary"
              aria-describedby={deleteError ? "delete-status-error" : undefined}
            >
              Delete {status.name}
            </button>
          </p>
          {deleteError ? (
            <p className="error" id="delete-status-error" role="alert">
              {deleteError}
            </p>
          ) : null}
        </Form>
      )}
      <p>
        <Link to="/admin/statuses">Close</Link>
      </p>
    </section>
  );
}
