import type { DiffPart } from "~/word-diff";

// A word diff as text: removed words struck through, added ones underlined (the audit log's
// .changes look), each also named in words for screen readers, since <del> and <ins> are not
// announced everywhere.
export function WordDiff({ parts }: { parts: DiffPart[] }) {
  return (
    <>
      {parts.map((part, i) => {
        const key = `${i}-${part.kind}`;
        if (part.kind === "removed") {
          return (
            <del key={key}>
              <span className="visually-hidden">removed </span>
              {part.text}
            </del>
          );
        }
        if (part.kind === "added") {
          return (
            <ins key={key}>
              <span className="visually-hidden">added </span>
              {part.text}
            </ins>
          );
        }
        return <span key={key}>{part.text}</span>;
      })}
    </>
  );
}
