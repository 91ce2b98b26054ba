/**
 * A description of the machine a result was measured on (CPU model, logical cores, OS; memory for
 * stored runs), recorded with benchmarks, engine states and runs.
 *
 * @module
 */

import { cpus, totalmem } from "node:os";
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

/** The machine a stored run or benchmark ran on: {@link MachineInfo} plus total memory. */
export interface HostInfo extends MachineInfo {
  /** Total physical memory in bytes (0 when not readable). */
  readonly memoryBytes: number;
}

/** Describe this machine with its total memory (0 without --allow-sys; never a prompt). */
export function describeHost(): HostInfo {
  let memoryBytes = 0;
  try {
    if (Deno.permissions.querySync({ name: "sys", kind: "systemMemoryInfo" }).state === "granted") {
      memoryBytes = totalmem();
    }
  } catch {
    // Not readable here: left unknown.
  }
  return { ...describeMachine(), memoryBytes };
}
