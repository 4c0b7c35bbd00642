import { describe, expect, it } from "vitest";
import { restartDelayMs } from "../../server/cluster";

// A web process that keeps dying right after it starts must not be forked again in a tight loop.
describe("the wait before a dead web process is replaced", () => {
  it("is none after a process that was serving, or after one quick exit", () => {
    expect(restartDelayMs(0)).toBe(0);
    expect(restartDelayMs(1)).toBe(0);
  });

  it("doubles from a second while replacements keep dying at start, up to a minute", () => {
    expect([2, 3, 4, 5, 6, 7, 8].map(restartDelayMs)).toEqual([1000, 2000, 4000, 8000, 16_000, 32_000, 60_000]);
    expect(restartDelayMs(50)).toBe(60_000);
  });
});
