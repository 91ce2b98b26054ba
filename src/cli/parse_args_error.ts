/**
 * Readable sentences for the errors of `node:util` parseArgs (unknown option, missing or
 * unexpected value), listing the command's valid options.
 *
 * @module
 */

import { UsageError } from "./usage_error.ts";

/** The option table handed to parseArgs (only the fields the message needs). */
export type OptionTable = Readonly<
  Record<string, { readonly type: "string" | "boolean"; readonly short?: string }>
>;

/** `--name` (or `-s, --name`) with `VALUE` for string options, as the usage text writes it. */
function describe(name: string, option: OptionTable[string]): string {
  const long = option.type === "string" ? `--${name} VALUE` : `--${name}`;
  return option.short === undefined ? long : `-${option.short}, ${long}`;
}

/** The valid options of `table`, for an error message: `--list, --from VALUE, -h, --help`. */
export function validOptions(table: OptionTable): string {
  return Object.entries(table).map(([name, option]) => describe(name, option)).join("; ");
}

/**
 * The {@linkcode UsageError} for an error thrown by parseArgs over `table`: `unknown option
 * "--foo"; valid options: ...`, `option "--measure" needs a value`, `option "--json" takes no
 * value`; any other error keeps its message.
 */
export function parseArgsUsageError(error: unknown, table: OptionTable): UsageError {
  const message = error instanceof Error ? error.message : String(error);
  const unknown = /^Unknown option '([^']+)'/.exec(message);
  if (unknown !== null) {
    return new UsageError(
      `unknown option "${unknown[1]}"; valid options: ${validOptions(table)}`,
    );
  }
  const missing = /^Option '(?:-\w, )?(--[^ ']+)[^']*' argument missing/.exec(message);
  if (missing !== null) return new UsageError(`option "${missing[1]}" needs a value`);
  const extra = /^Option '(?:-\w, )?(--[^ ']+)[^']*' does not take an argument/.exec(message);
  if (extra !== null) return new UsageError(`option "${extra[1]}" takes no value`);
  return new UsageError(message);
}
