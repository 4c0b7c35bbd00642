// The colour comes from /statuses.css, one rule per status: admins choose the
// colours, and the page's Content-Security-Policy refuses inline styles.
export function StatusBadge({ status }: { status: { slug: string; name: string } }) {
  return (
    <span className="badge" data-status={status.slug}>
      {status.name}
    </span>
  );
}
