/**
 * A description of the machine a result was measured on (CPU model, logical cores, OS), recorded
 * with benchmarks and engine states.
 *
 * @module
 */

import { coreCount } from "./options.ts";

/** The machine running this process. */
export interface MachineInfo {
  readonly cpuModel: string;
  readonly cores: number;
  readonly os: string;
  readonly arch: string;
  readonly deno: string;
}

function field(text: string, key: string): string | undefined {
  const line = text.split("\n").find((l) => l.startsWith(key));
  return line === undefined ? undefined : line.slice(line.indexOf(":") + 1).trim();
}

/**
 * CPU model from /proc/cpuinfo (Linux; Deno 2 wants --allow-all for /proc), else from `lscpu`
 * (--allow-run), else "unknown".
 */
function cpuModel(): string {
  try {
    const model = field(Deno.readTextFileSync("/proc/cpuinfo"), "model name");
    if (model !== undefined) return model;
  } catch {
    // Not Linux, or /proc not readable with these permissions.
  }
  try {
    const out = new Deno.Command("lscpu", { stderr: "null" }).outputSync();
    const model = field(new TextDecoder().decode(out.stdout), "Model name");
    if (model !== undefined) return model;
  } catch {
    // No lscpu, or no --allow-run.
  }
  return "unknown";
}

/** Describe this machine. */
export function describeMachine(): MachineInfo {
  return {
    cpuModel: cpuModel(),
    cores: coreCount(),
    os: Deno.build.os,
    arch: Deno.build.arch,
    deno: Deno.version.deno,
  };
}
