import type { ReactNode } from "react";

type EmptyStateProps = {
  title: string;
  // 1 when the empty state is the whole page (a 404); 2 inside a page's list.
  level?: 1 | 2 | 3;
  // What the reader can do next: a link home, a search, "File an ask".
  actions?: ReactNode;
  children: ReactNode;
};

// Says honestly that there is nothing here, and offers the way on.
export function EmptyState({ title, level = 2, actions, children }: EmptyStateProps) {
  const Heading = `h${level}` as const;
  return (
    <div className="empty-state">
      {/* A card with two lines, drawn in CSS: pages carry no <svg>, so the XSS checks can forbid it outright. */}
      <span className="empty-state-icon" aria-hidden="true" />
      <Heading>{title}</Heading>
      <div className="empty-state-body">{children}</div>
      {actions ? <div className="actions">{actions}</div> : null}
    </div>
  );
}
