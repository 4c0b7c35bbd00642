import { describe, expect, it } from "vitest";
import { type DiffPart, diffWords } from "~/word-diff";

// The two texts back from a diff: the earlier one without the added words, the later one
// without the removed words.
const earlier = (parts: DiffPart[]) => parts.filter((p) => p.kind !== "added").map((p) => p.text);
const later = (parts: DiffPart[]) =>
  parts
    .filter((p) => p.kind !== "removed")
    .map((p) => p.text)
    .join("");

describe("diffWords", () => {
  it("marks a replaced word as removed then added, and keeps the rest as it was", () => {
    expect(diffWords("Partner rebates per quarter", "Partner rebates per month")).toEqual([
      { kind: "same", text: "Partner rebates per " },
      { kind: "removed", text: "quarter" },
      { kind: "added", text: "month" },
    ]);
  });

  it("finds words inserted and deleted in the middle", () => {
    expect(diffWords("one two three four five", "one three four six five")).toEqual([
      { kind: "same", text: "one " },
      { kind: "removed", text: "two " },
      { kind: "same", text: "three four " },
      { kind: "added", text: "six " },
      { kind: "same", text: "five" },
    ]);
  });

  it("ignores a change of spacing alone, and gives back the later text whole", () => {
    const parts = diffWords("Monthly  totals\nper partner", "Monthly totals per partner");
    expect(parts).toEqual([{ kind: "same", text: "Monthly totals per partner" }]);
  });

  it("rebuilds both texts' words from a diff of unrelated texts", () => {
    const a = "the quick brown fox jumps over the lazy dog";
    const b = "a lazy cat sleeps over the quick dog";
    const parts = diffWords(a, b);
    expect(later(parts)).toBe(b);
    expect(earlier(parts).join(" ").split(/\s+/).filter(Boolean)).toEqual(a.split(" "));
    // The longest common run of words is kept, not removed and added again.
    expect(parts.filter((p) => p.kind === "same").map((p) => p.text.trim())).toEqual(["over the", "dog"]);
  });

  it("treats punctuation apart from the word before it", () => {
    expect(diffWords("Partners want totals.", "Partners want totals by claim.")).toEqual([
      { kind: "same", text: "Partners want totals " },
      { kind: "added", text: "by claim" },
      { kind: "same", text: "." },
    ]);
  });

  it("handles empty texts", () => {
    expect(diffWords("", "")).toEqual([]);
    expect(diffWords("", "new words")).toEqual([{ kind: "added", text: "new words" }]);
    expect(diffWords("old words", "")).toEqual([{ kind: "removed", text: "old words" }]);
  });

  it("still gives a correct diff of two long unrelated descriptions, removed whole and added whole", () => {
    const a = Array.from({ length: 2500 }, (_, i) => `a${i}`).join(" ");
    const b = Array.from({ length: 2500 }, (_, i) => `b${i}`).join(" ");
    const parts = diffWords(a, b);
    expect(parts.map((p) => p.kind)).toEqual(["removed", "added"]);
    expect(later(parts)).toBe(b);
  });
});
