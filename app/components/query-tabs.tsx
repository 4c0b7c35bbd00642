import { Link } from "@remix-run/react";

type QueryTabsProps<T extends string> = {
  // Names the navigation for screen readers ("Triage queues").
  label: string;
  // The query parameter each tab sets: ?tab=voted, ?view=new.
  param: string;
  tabs: readonly T[];
  labels: Record<T, string>;
  current: T;
};

// A tab bar of links to the same page with another ?param= value; the current one
// carries aria-current, which both draws it and tells screen readers.
export function QueryTabs<T extends string>({ label, param, tabs, labels, current }: QueryTabsProps<T>) {
  return (
    <nav aria-label={label}>
      <ul className="tabs">
        {tabs.map((t) => (
          <li key={t}>
            <Link to={`?${param}=${t}`} aria-current={t === current ? "page" : undefined}>
              {labels[t]}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
