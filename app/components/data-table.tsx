import type { ReactNode } from "react";

export type Column<Row> = {
  header: string;
  cell: (row: Row) => ReactNode;
  // Read by screen readers but not shown: a column of buttons ("Actions") needs no visible title.
  hideHeader?: boolean;
  // Counts line up on the right on a wide screen.
  numeric?: boolean;
  // The column whose value names the row (a user's name, a team): its cells are row headers, so a
  // screen reader announces that name with every other cell of the row.
  rowHeader?: boolean;
};

type DataTableProps<Row> = {
  caption: string;
  // The heading above the table usually says what it is; the caption is still there for screen readers.
  captionHidden?: boolean;
  columns: Column<Row>[];
  rows: Row[];
  rowKey: (row: Row) => string | number;
};

// A table of records. Each cell carries its column's title in data-label, so under
// 600px the stylesheet can show every row as a card of labelled lines.
export function DataTable<Row>({ caption, captionHidden, columns, rows, rowKey }: DataTableProps<Row>) {
  return (
    <table className="data-table">
      <caption className={captionHidden ? "visually-hidden" : undefined}>{caption}</caption>
      <thead>
        <tr>
          {columns.map((column) => (
            <th key={column.header} scope="col" className={column.numeric ? "numeric" : undefined}>
              {column.hideHeader ? <span className="visually-hidden">{column.header}</span> : column.header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={rowKey(row)}>
            {columns.map((column) => {
              const Cell = column.rowHeader ? "th" : "td";
              return (
                <Cell
                  key={column.header}
                  scope={column.rowHeader ? "row" : undefined}
                  data-label={column.hideHeader ? undefined : column.header}
                  className={column.numeric ? "numeric" : undefined}
                >
                  {column.cell(row)}
                </Cell>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
