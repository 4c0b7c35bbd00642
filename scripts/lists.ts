// Reading lists that a script built itself. An index that misses is a bug in the script:
// it stops there with a message instead of carrying undefined into the data it writes.
export function at<T>(items: ArrayLike<T>, index: number): T {
  const item = items[index];
  if (item === undefined) throw new RangeError(`No item ${index} in a list of ${items.length}`);
  return item;
}

// One item, drawn with the given source of numbers in [0, 1).
export function pick<T>(items: ArrayLike<T>, random: () => number = Math.random): T {
  return at(items, Math.floor(random() * items.length));
}
