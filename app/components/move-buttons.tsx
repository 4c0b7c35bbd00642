import { Form } from "@remix-run/react";

type MoveButtonsProps = { id: number; name: string; first: boolean; last: boolean };

// Up and down for one row of a list admins put in order (categories, statuses).
export function MoveButtons({ id, name, first, last }: MoveButtonsProps) {
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
