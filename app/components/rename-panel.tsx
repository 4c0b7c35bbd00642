import { Form, Link } from "@remix-run/react";
import type { FieldErrors } from "~/validation/form";
import { NameField } from "./name-field";

type RenamePanelProps = {
  // "team", "category": used in ids and headings.
  noun: string;
  item: { id: number; name: string };
  // The page's last form reply, whichever form it answers.
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
        <NameField id={`${noun}-name`} error={renamed?.errors.name} value={renamed?.values.name ?? item.name} />
        <button type="submit" name="intent" value="rename">
          Save name
        </button>
      </Form>
      <DeleteForm noun={noun} item={item} error={deleteError} />
      <p>
        <Link to={closeTo}>Close</Link>
      </p>
    </section>
  );
}

type DeleteFormProps = { noun: string; item: { id: number; name: string }; error: string | undefined };

// Delete, with the reason next to the button when the action refuses.
export function DeleteForm({ noun, item, error }: DeleteFormProps) {
  return (
    <Form method="post">
      <input type="hidden" name="id" value={item.id} />
      <p>
        <button
          type="submit"
          name="intent"
          value="delete"
          className="secondary"
          aria-describedby={error ? `delete-${noun}-error` : undefined}
        >
          Delete {item.name}
        </button>
      </p>
      {error ? (
        <p className="error" id={`delete-${noun}-error`} role="alert">
          {error}
        </p>
      ) : null}
    </Form>
  );
}
