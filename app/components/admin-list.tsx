import { Form, Link } from "@remix-run/react";
import type { Column } from "./data-table";

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
