import { Form, Link, useNavigation } from "@remix-run/react";
import { type ReactNode, useEffect, useRef, useState } from "react";
import { askPath } from "~/slug";
import type { FieldErrors } from "~/validation/form";
import type { Choice, StatusUpdateDraft } from "~/validation/status-update";
import {
  type LinkRow,
  linkField,
  linkRows,
  linkTitleMax,
  linkUrlMax,
  statusNoteMax,
} from "~/validation/status-update-rules";
import { ChoiceField, InputField, markdownHint, TextAreaField } from "./form-fields";

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
  const linkValue = (row: LinkRow, part: "url" | "title") =>
    value(linkField(row, part), defaults.links[row]?.[part] ?? "");
  const rowsInUse = linkRows.filter((row) => linkValue(row, "url") || linkValue(row, "title"));
  // Every row up to the last one in use stays in view with its values and messages.
  const filledRows = (rowsInUse.at(-1) ?? -1) + 1;
  // The choices, the current pick and the message of the status or team field.
  const choice = (name: "statusId" | "teamId", choices: "statuses" | "teams") => {
    const current = defaults[name];
    const defaultValue = value(name, current ? String(current) : "");
    return { name, choices: props[choices], defaultValue, error: errors[name] };
  };
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
      <ChoiceField
        id={id("status")}
        label="New status"
        placeholder="Choose a status"
        {...choice("statusId", "statuses")}
      />
      <ChoiceField id={id("team")} label="Team" placeholder="Choose a team" {...choice("teamId", "teams")} />
      <TextAreaField
        id={id("note")}
        label="Note"
        error={errors.note}
        hint={`What was decided and what happens next. ${markdownHint}`}
        name="note"
        required
        rows={5}
        maxLength={statusNoteMax}
        defaultValue={value("note", defaults.note)}
      />
      <InputField
        id={id("date")}
        label="Date this update is about"
        error={errors.aboutDate}
        hint="Today unless you are entering history: back-date it to when the decision was made."
        name="aboutDate"
        type="date"
        required
        min={props.minDate}
        max={props.maxDate}
        defaultValue={value("aboutDate", defaults.aboutDate)}
      />
      <fieldset>
        <legend>Resolution links (optional)</legend>
        <p className="hint">A page, release note or document that answers the ask: give each link a title.</p>
        <LinkRows
          filledRows={filledRows}
          renderRow={(row) => (
            <>
              <InputField
                id={id(`link-${row}-url`)}
                label={`Link ${row + 1} URL`}
                error={errors[linkField(row, "url")]}
                name={linkField(row, "url")}
                type="url"
                inputMode="url"
                maxLength={linkUrlMax}
                defaultValue={linkValue(row, "url")}
              />
              <InputField
                id={id(`link-${row}-title`)}
                label={`Link ${row + 1} title`}
                error={errors[linkField(row, "title")]}
                name={linkField(row, "title")}
                type="text"
                maxLength={linkTitleMax}
                defaultValue={linkValue(row, "title")}
              />
            </>
          )}
        />
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

type LinkRowsProps = {
  // How many rows, from the first, hold something the user typed or the update already had.
  filledRows: number;
  renderRow: (row: LinkRow) => ReactNode;
};

// One empty row keeps the form short. Without JavaScript the other rows wait in a
// "More links" disclosure, so every row can still be filled and posted; with it, a
// button adds one row at a time and takes the keyboard there.
function LinkRows({ filledRows, renderRow }: LinkRowsProps) {
  const initial = Math.max(1, filledRows);
  const [hydrated, setHydrated] = useState(false);
  const [shown, setShown] = useState(initial);
  const addedRow = useRef(false);
  useEffect(() => setHydrated(true), []);
  // The row the button just added takes the focus, once it is on the page.
  const focusAdded = (row: HTMLDivElement | null) => {
    if (!row || !addedRow.current) return;
    addedRow.current = false;
    row.querySelector("input")?.focus();
  };

  // The first rows are the same elements before and after hydration, so nothing typed is lost.
  const row = (n: LinkRow, last?: LinkRow) => (
    <div key={n} ref={n === last ? focusAdded : undefined}>
      {renderRow(n)}
    </div>
  );
  if (!hydrated) {
    const more = linkRows.slice(initial);
    return (
      <>
        {linkRows.slice(0, initial).map((n) => row(n))}
        {more.length ? (
          <details className="disclosure">
            <summary>More links</summary>
            <div>{more.map((n) => row(n))}</div>
          </details>
        ) : null}
      </>
    );
  }
  // A refusal coming back can bring more filled rows than were open.
  const count = Math.max(shown, initial);
  const rows = linkRows.slice(0, count);
  return (
    <>
      {rows.map((n) => row(n, rows.at(-1)))}
      {count < linkRows.length ? (
        <button
          type="button"
          className="secondary"
          onClick={() => {
            addedRow.current = true;
            setShown(count + 1);
          }}
        >
          Add another link
        </button>
      ) : null}
    </>
  );
}
