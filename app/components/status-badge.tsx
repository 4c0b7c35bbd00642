export function StatusBadge({ status }: { status: { name: string; color: string } }) {
  return (
    <span className="badge" style={{ "--badge": status.color } as React.CSSProperties}>
      {status.name}
    </span>
  );
}
