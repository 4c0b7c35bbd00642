// A word-level diff of two texts, for an ask's earlier versions: what the edit removed, what it
// added and what it kept, in reading order. Words are compared without their spacing; each
// part keeps the spacing of the text it came from, so the diff reads as prose.

export type DiffPart = { kind: "same" | "removed" | "added"; text: string };

// The longest-common-subsequence table grows with the product of the two lengths; past this
// many cells (two descriptions of about 2,000 differing words each) the changed middle is shown
// as removed whole and added whole, which is still correct, only coarser.
const maxCells = 4_000_000;

// A word (letters and digits, with inner apostrophes or hyphens) or a single punctuation mark, so
// "totals." becomes "totals by claim." by adding two words, not by replacing one.
const tokens = (text: string) => text.match(/\s*(?:[\p{L}\p{N}]+(?:['’_-][\p{L}\p{N}]+)*|[^\s\p{L}\p{N}])\s*/gu) ?? [];
const word = (token: string) => token.trim();

export function diffWords(before: string, after: string): DiffPart[] {
  const a = tokens(before);
  const b = tokens(after);
  // The common start and end need no table: an edit usually touches a few words.
  let start = 0;
  while (start < a.length && start < b.length && word(a[start]!) === word(b[start]!)) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && word(a[endA - 1]!) === word(b[endB - 1]!)) {
    endA--;
    endB--;
  }
  const parts: DiffPart[] = [];
  const push = (kind: DiffPart["kind"], text: string) => {
    const last = parts[parts.length - 1];
    if (last?.kind === kind) last.text += text;
    else if (text) parts.push({ kind, text });
  };
  for (const t of b.slice(0, start)) push("same", t);
  middle(a.slice(start, endA), b.slice(start, endB), push);
  for (const t of b.slice(endB)) push("same", t);
  return parts;
}

function middle(a: string[], b: string[], push: (kind: DiffPart["kind"], text: string) => void) {
  const n = a.length;
  const m = b.length;
  if (n * m > maxCells) {
    for (const t of a) push("removed", t);
    for (const t of b) push("added", t);
    return;
  }
  // lcs[i * (m + 1) + j]: the length of the longest common subsequence of a[i..] and b[j..].
  const lcs = new Uint32Array((n + 1) * (m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * (m + 1) + j] =
        word(a[i]!) === word(b[j]!)
          ? lcs[(i + 1) * (m + 1) + j + 1]! + 1
          : Math.max(lcs[(i + 1) * (m + 1) + j]!, lcs[i * (m + 1) + j + 1]!);
    }
  }
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (word(a[i]!) === word(b[j]!)) {
      push("same", b[j]!);
      i++;
      j++;
    } else if (lcs[(i + 1) * (m + 1) + j]! >= lcs[i * (m + 1) + j + 1]!) {
      push("removed", a[i]!);
      i++;
    } else {
      push("added", b[j]!);
      j++;
    }
  }
  for (; i < n; i++) push("removed", a[i]!);
  for (; j < m; j++) push("added", b[j]!);
}
