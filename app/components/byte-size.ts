const units = ["bytes", "KB", "MB", "GB", "TB"];

// A size as people read it, in powers of 1024: "512 MB", "2.0 GB", "3.4 KB".
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  if (unit === 0) return `${bytes} bytes`;
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}
