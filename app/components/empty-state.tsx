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
      <svg className="empty-state-icon" aria-hidden="true" viewBox="0 0 48 48" width="48" height="48">
        <rect x="8" y="10" width="32" height="28" rx="5" fill="none" stroke="currentColor" strokeWidth="2.5" />
        <path d="M15 20h18M15 27h11" stroke="currentColor" strokeWidth="2.5" strokeLinecap="round" />
      </svg>
      <Heading>{title}</Heading>
      <div className="empty-state-body">{children}</div>
      {actions ? <div className="actions">{actions}</div> : null}
    </div>
  );
}
