/**
 * What every command shares on its command line: node:util parseArgs with `--config FILE` (a JSON
 * object whose keys are the command's option names; flags given on the command line override it;
 * an unknown key or a value of the wrong type is a usage error), and user paths resolved against
 * the directory the user ran the task from (`deno task` sets INIT_CWD), not the repository root.
 *
 * @module
 */

import { isAbsolute, resolve } from "node:path";
import { parseArgs, type ParseArgsOptionsConfig } from "node:util";
import { type OptionTable, parseArgsUsageError } from "./parse_args_error.ts";
import { UsageError } from "./usage_error.ts";

/** Option values as parseArgs returns them. */
export type OptionValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

/** A parsed command line. */
export interface ParsedCommand {
  readonly values: OptionValues;
  readonly positionals: readonly string[];
  /** The `--config` file read (resolved), or null. */
  readonly configFile: string | null;
  /** Option names set by the config file (and not overridden on the command line). */
  readonly fromConfig: readonly string[];
}

/** The directory the user ran the command from: `INIT_CWD` under `deno task`, else the cwd. */
export function userDirectory(): string {
  const init = Deno.env.get("INIT_CWD");
  return init !== undefined && init !== "" ? init : Deno.cwd();
}

/** `path` resolved against {@link userDirectory} (absolute paths unchanged). */
export function userPath(path: string): string {
  return isAbsolute(path) ? path : resolve(userDirectory(), path);
}

function describeType(option: ParseArgsOptionsConfig[string]): string {
  const one = option.type === "boolean" ? "true or false" : "a string or a number";
  return option.multiple === true
    ? `an array of ${one === "true or false" ? "booleans" : "strings"}`
    : one;
}

function fromJson(
  key: string,
  value: unknown,
  option: ParseArgsOptionsConfig[string],
  file: string,
): string | boolean | (string | boolean)[] {
  const one = (v: unknown): string | boolean | undefined => {
    if (option.type === "boolean") return typeof v === "boolean" ? v : undefined;
    if (typeof v === "string") return v;
    if (typeof v === "number" && Number.isFinite(v)) return String(v);
    return undefined;
  };
  if (option.multiple === true) {
    const list = Array.isArray(value) ? value : [value];
    const converted = list.map(one);
    if (converted.every((v) => v !== undefined)) return converted as (string | boolean)[];
  } else {
    const converted = one(value);
    if (converted !== undefined) return converted;
  }
  throw new UsageError(
    `Cannot use "${key}" of config file "${file}": expected ${describeType(option)}, found ${
      JSON.stringify(value)
    }`,
  );
}

/**
 * Parse `args` with `options` (parseArgs' configuration, without defaults: apply defaults after,
 * so a config file can supply any value) plus `--config FILE`. Unknown flags and config keys are
 * {@link UsageError}s that list the valid ones.
 */
export async function parseCommand(
  args: readonly string[],
  options: ParseArgsOptionsConfig,
  allowPositionals = false,
): Promise<ParsedCommand> {
  const all: ParseArgsOptionsConfig = { ...options, config: { type: "string" } };
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      options: all,
      allowPositionals,
      strict: true,
      tokens: true,
    });
  } catch (error) {
    throw parseArgsUsageError(error, all as OptionTable);
  }
  const values: OptionValues = { ...parsed.values };
  const configPath = values["config"];
  delete values["config"];
  if (typeof configPath !== "string") {
    return { values, positionals: parsed.positionals, configFile: null, fromConfig: [] };
  }
  const file = userPath(configPath);
  let text: string;
  try {
    text = await Deno.readTextFile(file);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UsageError(`Cannot read config file "${file}": ${reason}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UsageError(`Cannot parse config file "${file}" as JSON: ${reason}`);
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new UsageError(`Cannot use config file "${file}": expected a JSON object of options`);
  }
  const given = new Set(
    (parsed.tokens ?? []).flatMap((t) => (t.kind === "option" ? [t.name] : [])),
  );
  const fromConfig: string[] = [];
  for (const [key, value] of Object.entries(json)) {
    const option = options[key];
    if (option === undefined) {
      throw new UsageError(
        `Cannot use config file "${file}": unknown key "${key}"; valid keys: ${
          Object.keys(options).sort().join(", ")
        }`,
      );
    }
    const converted = fromJson(key, value, option, file);
    if (given.has(key)) continue;
    values[key] = converted;
    fromConfig.push(key);
  }
  return { values, positionals: parsed.positionals, configFile: file, fromConfig };
}
