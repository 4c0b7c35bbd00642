// Colour arithmetic for status badges, shared by the status form's schema and the page
// that explains it. Plain values only, so browser code may import it.

// WCAG AA for normal text.
export const minContrast = 4.5;

// WCAG 2 relative luminance of a #rrggbb colour.
export function luminance(hex: string): number {
  const [r = 0, g = 0, b = 0] = [1, 3, 5].map((i) => {
    const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

// Badges print white text on the status colour, so the colour is what must be dark enough.
export function contrastWithWhite(hex: string): number {
  return 1.05 / (luminance(hex) + 0.05);
}
