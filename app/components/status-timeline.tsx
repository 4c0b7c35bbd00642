import { StatusBadge } from "./status-badge";

export type StatusUpdateItem = {
  id: number;
  aboutDate: string;
  team: string | null;
  author: string;
  fromStatus: string | null;
  toStatus: { name: string; color: string };
  noteHtml: string;
  links: { url: string; title: string }[];
};

// "Status details": the dated history of every decision on an ask, oldest first.
export function StatusTimeline({ updates }: { updates: StatusUpdateItem[] }) {
  return (
    <section aria-labelledby="status-details">
      <h2 id="status-details">Status details</h2>
      {updates.length ? (
        <ol className="timeline">
          {updates.map((u) => (
            <li key={u.id}>
              <p className="when">
                <time dateTime={u.aboutDate}>{u.aboutDate}</time> · {u.team ?? u.author}
                {u.fromStatus !== u.toStatus.name ? (
                  <>
                    {" "}
                    · <StatusBadge status={u.toStatus} />
                  </>
                ) : null}
              </p>
              <div className="markdown" dangerouslySetInnerHTML={{ __html: u.noteHtml }} />
              {u.links.length ? (
                <p>
                  Resolution link:{" "}
                  {u.links.map((l, i) => (
                    <span key={l.url}>
                      {i > 0 ? ", " : null}
                      <a href={l.url} rel="nofollow noopener">
                        {l.title}
                      </a>
                    </span>
                  ))}
                </p>
              ) : null}
            </li>
          ))}
        </ol>
      ) : (
        <p className="muted">No status updates yet. A program team will triage this ask.</p>
      )}
    </section>
  );
}
