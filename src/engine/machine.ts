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

/** Whether --allow-sys grants `kind`, asked without a prompt (it would stall an unattended run). */
function sysGranted(kind: "cpus" | "systemMemoryInfo"): boolean {
  try {
    return Deno.permissions.querySync({ name: "sys", kind }).state === "granted";
  } catch {
    return false;
  }
}

/** CPU model as Node's `os.cpus()` reports it, else "unknown" (also without --allow-sys). */
function cpuModel(): string {
  if (!sysGranted("cpus")) return "unknown";
  const model = cpus()[0]?.model.trim();
  return model === undefined || model === "" ? "unknown" : model;
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
  const memoryBytes = sysGranted("systemMemoryInfo") ? totalmem() : 0;
  return { ...describeMachine(), memoryBytes };
}
