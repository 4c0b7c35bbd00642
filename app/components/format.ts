export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

// A description's start as plain text for a list row: markdown marks, links' addresses and tags go,
// the words stay. `full` says whether `markdown` is the whole body or only its first characters.
export function plainExcerpt(markdown: string, full = false): string {
  const text = markdown
    .replace(/```[^\n]*\n?/g, " ")
    .replace(/<[^>]*>?/g, " ")
    .replace(/!?\[([^\]]*)\]\([^)]*\)?/g, "$1")
    .replace(/^\s{0,3}(#{1,6}|>|[-*+]|\d+[.)])\s+/gm, "")
    .replace(/[*_~`]+/g, "")
    .replace(/\s+/g, " ")
    .trim();
  return full ? text : `${text.replace(/\s+\S*$/, "")}…`;
}
