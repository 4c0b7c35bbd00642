import { useEffect, useRef } from "react";

// Calls `run` once typing pauses for `delay` ms (as-you-type requests); a
// pending call is dropped when the component goes away.
export function useDebounced<T>(run: (value: T) => void, delay = 250): (value: T) => void {
  const timer = useRef<ReturnType<typeof setTimeout>>();
  useEffect(() => () => clearTimeout(timer.current), []);
  return (value: T) => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => run(value), delay);
  };
}
