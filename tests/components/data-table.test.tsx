import { render, screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { type Column, DataTable } from "~/components/data-table";

type Team = { id: number; name: string; asks: number };

const nameColumn: Column<Team> = { header: "Team", cell: (t) => t.name };
const columns: Column<Team>[] = [
  nameColumn,
  { header: "Asks", cell: (t) => t.asks, numeric: true },
  { header: "Actions", hideHeader: true, cell: (t) => <button type="button">Rename {t.name}</button> },
];
const teams: Team[] = [
  { id: 1, name: "EPX", asks: 31 },
  { id: 2, name: "Program team", asks: 4 },
];

describe("DataTable", () => {
  it("is a table named by its caption, with a header per column and a row per record", () => {
    render(<DataTable caption="Teams" columns={columns} rows={teams} rowKey={(t) => t.id} />);
    const table = screen.getByRole("table", { name: "Teams" });
    expect(
      within(table)
        .getAllByRole("columnheader")
        .map((th) => th.textContent),
    ).toEqual(["Team", "Asks", "Actions"]);
    const rows = within(table).getAllByRole("row").slice(1);
    expect(
      rows.map((r) =>
        within(r)
          .getAllByRole("cell")
          .map((td) => td.textContent),
      ),
    ).toEqual([
      ["EPX", "31", "Rename EPX"],
      ["Program team", "4", "Rename Program team"],
    ]);
  });

  it("labels each cell with its column for the stacked layout, except a column whose title is hidden", () => {
    render(<DataTable caption="Teams" captionHidden columns={columns} rows={teams} rowKey={(t) => t.id} />);
    const [name, asks, actions] = within(screen.getAllByRole("row")[1] as HTMLElement).getAllByRole("cell");
    expect(name).toHaveAttribute("data-label", "Team");
    expect(asks).toHaveAttribute("data-label", "Asks");
    expect(asks).toHaveClass("numeric");
    expect(actions).not.toHaveAttribute("data-label");
    // Hidden from sight, not from screen readers.
    expect(screen.getByRole("columnheader", { name: "Actions" }).firstElementChild).toHaveClass("visually-hidden");
    expect(screen.getByText("Teams", { selector: "caption" })).toHaveClass("visually-hidden");
  });

  it("makes the column that names a row its row header, still labelled for the stacked layout", () => {
    const named: Column<Team>[] = [{ ...nameColumn, rowHeader: true }, ...columns.slice(1)];
    render(<DataTable caption="Teams" columns={named} rows={teams} rowKey={(t) => t.id} />);
    const rowHeaders = screen.getAllByRole("rowheader");
    expect(rowHeaders.map((th) => th.textContent)).toEqual(["EPX", "Program team"]);
    expect(rowHeaders[0]).toHaveAttribute("scope", "row");
    expect(rowHeaders[0]).toHaveAttribute("data-label", "Team");
    // The other cells of the row are plain cells, which a screen reader names by the row header.
    const [, epx] = screen.getAllByRole("row");
    expect(
      within(epx as HTMLElement)
        .getAllByRole("cell")
        .map((td) => td.textContent),
    ).toEqual(["31", "Rename EPX"]);
  });
});
