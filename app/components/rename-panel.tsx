import { Form, Link } from "@remix-run/react";
import { nameMax } from "~/validation/admin";
import type { FieldErrors } from "~/validation/form";
import { Field } from "./field";

type RenamePanelProps = {
  // "team", "category": used in ids and headings.
  noun: string;
  item: { id: number; name: string };
  reply: { intent: string; errors: FieldErrors; values: Record<string, string> } | undefined;
  closeTo: string;
};

// The admin panel for something that only has a name: rename it, or delete it
// (the action refuses while it is in use, and the message shows here).
export function RenamePanel({ noun, item, reply, closeTo }: RenamePanelProps) {
  const renamed = reply?.intent === "rename" ? reply : undefined;
  const deleteError = reply?.intent === "delete" ? reply.errors.form : undefined;
  return (
    <section id={`edit-${noun}`} aria-labelledby={`edit-${noun}-title`} className="notice">
      <h2 id={`edit-${noun}-title`}>Edit {item.name}</h2>
      <Form method="post" noValidate>
        <input type="hidden" name="id" value={item.id} />
        <Field id={`${noun}-name`} label="Name" error={renamed?.errors.name}>
          {(describedBy, invalid) => (
            <input
              id={`${noun}-name`}
              name="name"
              type="text"
              required
              maxLength={nameMax}
              defaultValue={renamed?.values.name ?? item.name}
              aria-describedby={describedBy}
              aria-invalid={invalid || undefined}
            />
          )}
        </Field>
        <button type="submit" name="intent" value="rename">
          Save name
        </button>
      </Form>
      <Form method="post">
        <input type="hidden" name="id" value={item.id} />
        <p>
          <button
            type="submit"
            name="intent"
            value="delete"
            className="secondary"
            aria-describedby={deleteError ? `delete-${noun}-error` : undefined}
          >
            Delete {item.name}
          </button>
        </p>
        {deleteError ? (
          <p className="error" id={`delete-${noun}-error`} role="alert">
            {deleteError}
          </p>
        ) : null}
      </Form>
      <p>
        <Link to={closeTo}>Close</Link>
      </p>
    </section>
  );
}
