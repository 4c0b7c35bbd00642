import { Form, Link } from "@remix-run/react";
import type { FieldErrors } from "~/validation/form";
import { type Column, DataTable } from "./data-table";
import { NameField } from "./name-field";
import { RenamePanel } from "./rename-panel";

// Pieces the admin lists of named things (teams, categories, statuses) share.

type Named = { id: number; name: string };
export type Placed<Row> = Row & { place: number; last: boolean };

// Each row with its place (1 for the first), for the lists admins put in order.
export function withPlaces<Row>(rows: Row[]): Placed<Row>[] {
  return rows.map((row, i) => ({ ...row, place: i + 1, last: i === rows.length - 1 }));
}

export const placeColumn: Column<{ place: number }> = { header: "Place", cell: (row) => row.place, numeric: true };

// Edit opens the row's panel (?edit=, at #edit-team); rows with a place can also move.
export function actionsColumn<Row extends Named & Partial<Placed<object>>>(noun: string): Column<Row> {
  return {
    header: "Actions",
    hideHeader: true,
    cell: (row) => (
      <div className="actions">
        {row.place === undefined ? null : <MoveButtons row={row} first={row.place === 1} last={row.last === true} />}
        <Link to={`?edit=${row.id}#edit-${noun}`}>
          Edit<span className="visually-hidden"> {row.name}</span>
        </Link>
      </div>
    ),
  };
}

function MoveButtons({ row, first, last }: { row: Named; first: boolean; last: boolean }) {
  return (
    <Form method="post" className="actions">
      <input type="hidden" name="id" value={row.id} />
      <input type="hidden" name="intent" value="move" />
      <button type="submit" name="direction" value="up" className="secondary" disabled={first}>
        Up<span className="visually-hidden"> {row.name}</span>
      </button>
      <button type="submit" name="direction" value="down" className="secondary" disabled={last}>
        Down<span className="visually-hidden"> {row.name}</span>
      </button>
    </Form>
  );
}

type NameListPageProps<Row extends Named> = {
  // "team", "category": in headings, ids and the button.
  noun: string;
  title: string;
  intro?: string;
  caption: string;
  columns: Column<Row>[];
  rows: Row[];
  editing: Named | null;
  // The page's last form reply, whichever form it answers.
  reply: { intent: string; errors: FieldErrors; values: Record<string, string> } | undefined;
  page: string;
  addHint?: string;
};

// The whole page for a list of things that only have a name: the list, the panel that
// renames or deletes the one being edited, and the form that adds one.
export function NameListPage<Row extends Named>(props: NameListPageProps<Row>) {
  const { noun, page, reply, editing, rows } = props;
  const created = reply?.intent === "create" ? reply : undefined;
  return (
    <>
      <h1>{props.title}</h1>
      {props.intro ? <p className="muted">{props.intro}</p> : null}
      {editing ? <RenamePanel key={editing.id} noun={noun} item={editing} reply={reply} closeTo={page} /> : null}
      {rows.length ? (
        <DataTable caption={props.caption} captionHidden columns={props.columns} rows={rows} rowKey={(r) => r.id} />
      ) : (
        <p>No {props.title.toLowerCase()} yet.</p>
      )}

      <h2>Add a {noun}</h2>
      <Form method="post" action={page} noValidate>
        <NameField
          id={`new-${noun}-name`}
          error={created?.errors.name}
          value={created?.values.name}
          hint={props.addHint}
        />
        <button type="submit" name="intent" value="create">
          Add {noun}
        </button>
      </Form>
    </>
  );
}
