import { Form, Link } from "@remix-run/react";
import type { ListPage } from "~/list-intents";
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
  // How the page names things; `noun` ("Team") also goes, lower-cased, into ids and the button.
  // The table's caption (for screen readers) is the title unless it says more.
  list: Pick<ListPage, "noun" | "page"> & { title: string; caption?: string; intro?: string; addHint?: string };
  columns: Column<Row>[];
  rows: Row[];
  editing: Named | null;
  // The page's last form reply, whichever form it answers.
  reply: { intent: string; errors: FieldErrors; values: Record<string, string> } | undefined;
};

// The whole page for a list of things that only have a name: the list, the panel that
// renames or deletes the one being edited, and the form that adds one.
export function NameListPage<Row extends Named>({ list, columns, rows, editing, reply }: NameListPageProps<Row>) {
  const noun = list.noun.toLowerCase();
  const created = reply?.intent === "create" ? reply : undefined;
  return (
    <>
      <h1>{list.title}</h1>
      {list.intro ? <p className="muted">{list.intro}</p> : null}
      {editing ? <RenamePanel key={editing.id} noun={noun} item={editing} reply={reply} closeTo={list.page} /> : null}
      {rows.length ? (
        <DataTable
          caption={list.caption ?? list.title}
          captionHidden
          columns={columns}
          rows={rows}
          rowKey={(r) => r.id}
        />
      ) : (
        <p>No {list.title.toLowerCase()} yet.</p>
      )}

      <h2>Add a {noun}</h2>
      <Form method="post" action={list.page} noValidate>
        <NameField
          id={`new-${noun}-name`}
          error={created?.errors.name}
          value={created?.values.name}
          hint={list.addHint}
        />
        <button type="submit" name="intent" value="create">
          Add {noun}
        </button>
      </Form>
    </>
  );
}
