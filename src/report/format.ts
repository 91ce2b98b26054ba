/**
 * Number formats shared by every rendering of a report (text, Markdown, HTML), so the three show
 * the same digits.
 *
 * @module
 */

/** Four decimals (metric values). */
export const f4 = (x: number): string => x.toFixed(4);

/** A signed difference with four decimals: `+0.0123`, `-0.0040`. */
export const signed = (x: number): string => `${x >= 0 ? "+" : ""}${x.toFixed(4)}`;

/** A p-value: four decimals, `< 0.0001` below that. */
export const pValue = (p: number): string => (p < 1e-4 ? "< 0.0001" : p.toFixed(4));

/** A count as `1.23M`, `45.6k` or itself. */
export function compact(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return String(n);
}
