import { Form, Link, useNavigation } from "@remix-run/react";
import { askPath } from "~/slug";
import type { FieldErrors } from "~/validation/form";
import {
  type Choice,
  linkField,
  linkRowsMax,
  linkRowsShown,
  linkTitleMax,
  linkUrlMax,
  type StatusUpdateDraft,
  statusNoteMax,
} from "~/validation/status-update";
import { Field } from "./field";

// Where status updates of an ask are recorded, edited (?update=ID) and removed.
export function statusUpdatePath(ask: { id: number; slug: string }): string {
  return `${askPath(ask)}/status`;
}

export type StatusUpdateFormProps = {
  // statusUpdatePath(ask)
  action: string;
  statuses: Choice[];
  teams: Choice[];
  // A fresh update (the member's team, today) or the update being edited.
  defaults: StatusUpdateDraft;
  // The ask's filing date and the last date that is not in the future.
  minDate: string;
  maxDate: string;
  // What was submitted, handed back with the errors after a 400: shown instead of the defaults.
  values?: Record<string, string>;
  errors?: FieldErrors;
  // Set when editing an existing update.
  updateId?: number;
  cancelTo?: string;
};

// A dated status update: new status, team, note and resolution links. A plain
// form: it posts and redirects without JavaScript.
export function StatusUpdateForm(props: StatusUpdateFormProps) {
  const { defaults, values, errors = {} } = props;
  const navigation = useNavigation();
  const busy = navigation.state === "submitting" && navigation.formAction === props.action;
  const value = (name: string, fallback: string) => (values ? (values[name] ?? "") : fallback);
  const linkValue = (row: number, part: "url" | "title") =>
    value(linkField(row, part), defaults.links[row]?.[part] ?? "");
  const rowsInUse = Array.from({ length: linkRowsMax }, (_, row) => row).filter(
    (row) => linkValue(row, "url") || linkValue(row, "title"),
  );
  const rows = Math.min(linkRowsMax, Math.max(linkRowsShown, (rowsInUse.at(-1) ?? -1) + 1));
  const hasErrors = Object.values(errors).some(Boolean);
  const id = (name: string) => `status-update-${name}`;

  return (
    <Form method="post" action={props.action} noValidate>
      {hasErrors ? (
        <p className="form-error" role="alert">
          {errors.form ?? "Please correct the fields marked below."}
        </p>
      ) : null}
      {props.updateId ? <input type="hidden" name="updateId" value={props.updateId} /> : null}
      <Field id={id("status")} label="New status" error={errors.statusId}>
        {(describedBy, invalid) => (
          <select
            id={id("status")}
            name="statusId"
            required
            defaultValue={value("statusId", defaults.statusId ? String(defaults.statusId) : "")}
            aria-describedby={describedBy}
            aria-invalid={invalid || undefined}
          >
            <option value="">Choose a status</option>
            {props.statuses.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field id={id("team")} label="Team" error={errors.teamId}>
        {(describedBy, invalid) => (
          <select
            id={id("team")}
            name="teamId"
            required
            defaultValue={value("teamId", defaults.teamId ? String(defaults.teamId) : "")}
            aria-describedby={describedBy}
            aria-invalid={invalid || undefined}
          >
            <option value="">Choose a team</option>
            {props.teams.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field
        id={id("note")}
        label="Note"
        error={errors.note}
        hint="What was decided and what happens next. Markdown works: **bold**, _italic_, lists and links."
      >
        {(describedBy, invalid) => (
          <textarea
            id={id("note")}
            name="note"
            required
            rows={5}
            maxLength={statusNoteMax}
            defaultValue={value("note", defaults.note)}
            aria-describedby={describedBy}
            aria-invalid={invalid || undefined}
          />
        )}
      </Field>
      <Field
        id={id("date")}
        label="Date this update is about"
        error={errors.aboutDate}
        hint="Today unless you are entering history: back-date it to when the decision was made."
      >
        {(describedBy, invalid) => (
          <input
            id={id("date")}
            name="aboutDate"
            type="date"
            required
            min={props.minDate}
            max={props.maxDate}
            defaultValue={value("aboutDate", defaults.aboutDate)}
            aria-describedby={describedBy}
            aria-invalid={invalid || undefined}
          />
        )}
      </Field>
      <fieldset>
        <legend>Resolution links (optional)</legend>
        <p className="hint">A page, release note or document that answers the ask: give each link a title.</p>
        {Array.from({ length: rows }, (_, row) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows are fixed positions in the form, not items that move
          <div key={row}>
            <Field id={id(`link-${row}-url`)} label={`Link ${row + 1} URL`} error={errors[linkField(row, "url")]}>
              {(describedBy, invalid) => (
                <input
                  id={id(`link-${row}-url`)}
                  name={linkField(row, "url")}
                  type="url"
                  inputMode="url"
                  maxLength={linkUrlMax}
                  defaultValue={linkValue(row, "url")}
                  aria-describedby={describedBy}
                  aria-invalid={invalid || undefined}
                />
              )}
            </Field>
            <Field id={id(`link-${row}-title`)} label={`Link ${row + 1} title`} error={errors[linkField(row, "title")]}>
              {(describedBy, invalid) => (
                <input
                  id={id(`link-${row}-title`)}
                  name={linkField(row, "title")}
                  type="text"
                  maxLength={linkTitleMax}
                  defaultValue={linkValue(row, "title")}
                  aria-describedby={describedBy}
                  aria-invalid={invalid || undefined}
                />
              )}
            </Field>
          </div>
        ))}
      </fieldset>
      <div className="actions">
        <button type="submit" name="intent" value={props.updateId ? "edit" : "create"} disabled={busy}>
          {props.updateId ? "Save status update" : "Record status update"}
        </button>
        {props.cancelTo ? <Link to={props.cancelTo}>Cancel</Link> : null}
      </div>
    </Form>
  );
}
