import assert from "node:assert/strict";
import { parseArgs } from "node:util";
import { parseArgsUsageError } from "./parse_args_error.ts";

const TABLE = {
  measure: { type: "string", short: "m" },
  json: { type: "boolean" },
} as const;

function messageFor(args: string[]): string {
  try {
    parseArgs({ args, allowPositionals: true, options: TABLE });
  } catch (error) {
    return parseArgsUsageError(error, TABLE).message;
  }
  throw new Error("parseArgs accepted the arguments");
}

Deno.test("parseArgs errors become one readable sentence listing the valid options", () => {
  assert.equal(
    messageFor(["--foo"]),
    `unknown option "--foo"; valid options: -m, --measure VALUE; --json`,
  );
  assert.equal(
    messageFor(["-x"]),
    `unknown option "-x"; valid options: -m, --measure VALUE; --json`,
  );
  assert.equal(messageFor(["-m"]), `option "--measure" needs a value`);
  assert.equal(messageFor(["--json=1"]), `option "--json" takes no value`);
});
