/**
 * A description of the machine a result was measured on (CPU model, logical cores, OS), recorded
 * with benchmarks and engine states.
 *
 * @module
 */

import { cpus } from "node:os";
import { coreCount } from "./options.ts";

/** The machine running this process. */
export interface MachineInfo {
  readonly cpuModel: string;
  readonly cores: number;
  readonly os: string;
  readonly arch: string;
  readonly deno: string;
}

/**
 * CPU model as Node's `os.cpus()` reports it, else "unknown". Asked only when --allow-sys is
 * granted: never a permission prompt (it would stall an unattended run).
 */
function cpuModel(): string {
  try {
    if (Deno.permissions.querySync({ name: "sys", kind: "cpus" }).state !== "granted") {
      return "unknown";
    }
    const model = cpus()[0]?.model.trim();
    if (model !== undefined && model !== "") return model;
  } catch {
    // No --allow-sys.
  }
  return "unknown";
}

/** One line for logs and bench names, e.g. `AMD EPYC, nproc 2`. */
export function formatMachine(machine: MachineInfo = describeMachine()): string {
  return `${machine.cpuModel}, nproc ${machine.cores}`;
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
