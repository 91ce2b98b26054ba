/**
 * Durations on the command line (`--older-than 7d`): a number and a unit s, m, h, d or w.
 *
 * @module
 */

import { UsageError } from "./usage_error.ts";

const UNIT_MS: Readonly<Record<string, number>> = {
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/**
 * Milliseconds of a duration such as `90s`, `30m`, `12h`, `7d`, `2w` or `1.5d`.
 *
 * @throws {UsageError} naming the option and the value when it is not one
 */
export function parseDuration(text: string, option: string): number {
  const found = /^(\d+(?:\.\d+)?)([smhdw])$/.exec(text.trim());
  if (found === null) {
    throw new UsageError(
      `${option} must be a number and a unit s, m, h, d or w (e.g. 7d), found "${text}"`,
    );
  }
  return Number(found[1]) * UNIT_MS[found[2]!]!;
}

/** A short age: `45s`, `12m`, `3h`, `5d` (rounded down). */
export function formatAge(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 120) return `${s}s`;
  if (s < 7_200) return `${Math.floor(s / 60)}m`;
  if (s < 172_800) return `${Math.floor(s / 3_600)}h`;
  return `${Math.floor(s / 86_400)}d`;
}
