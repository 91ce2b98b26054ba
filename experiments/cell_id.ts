/**
 * Cell ids of an experiment: `method/size/mode[/seed]` (EXPERIMENTS.md), e.g.
 * `embeddistill/1-10/asymmetric/2`; the teacher's cell is `teacher/full/-`.
 *
 * @module
 */

/** A cell's coordinates. `seed` is absent for the seed-free view (means over seeds). */
export interface CellRef {
  readonly method: string;
  /** `1-10`, `2-3`, or `full` for the teacher. */
  readonly size: string;
  /** `asymmetric`, `symmetric`, or `-` for the teacher. */
  readonly mode: string;
  readonly seed?: number;
}

const PART = /^[a-z0-9][a-z0-9+-]*$/;

/** `method/size/mode[/seed]`. */
export function formatCellId(cell: CellRef): string {
  for (const [name, value] of [["method", cell.method], ["size", cell.size]] as const) {
    if (!PART.test(value)) {
      throw new SyntaxError(`Cannot form a cell id: ${name} "${value}" is not [a-z0-9+-]`);
    }
  }
  if (cell.mode !== "-" && !PART.test(cell.mode)) {
    throw new SyntaxError(`Cannot form a cell id: mode "${cell.mode}" is not [a-z0-9+-] or "-"`);
  }
  const base = `${cell.method}/${cell.size}/${cell.mode}`;
  if (cell.seed === undefined) return base;
  if (!Number.isSafeInteger(cell.seed) || cell.seed < 0) {
    throw new RangeError(`Cannot form a cell id: seed ${cell.seed} is not a non-negative integer`);
  }
  return `${base}/${cell.seed}`;
}

/** Parse `method/size/mode[/seed]`; a clear error for anything else. */
export function parseCellId(id: string): CellRef {
  const parts = id.split("/");
  if (parts.length !== 3 && parts.length !== 4) {
    throw new SyntaxError(
      `Cannot parse cell id "${id}": expected method/size/mode[/seed], found ${parts.length} parts`,
    );
  }
  const [method, size, mode, seedText] = parts as [string, string, string, string?];
  let seed: number | undefined;
  if (seedText !== undefined) {
    if (!/^\d+$/.test(seedText)) {
      throw new SyntaxError(`Cannot parse cell id "${id}": seed "${seedText}" is not an integer`);
    }
    seed = Number(seedText);
  }
  const cell: CellRef = seed === undefined ? { method, size, mode } : { method, size, mode, seed };
  formatCellId(cell); // validates the parts
  return cell;
}

/** The seed-free id of a cell (`method/size/mode`). */
export function cellKey(cell: CellRef): string {
  return formatCellId({ method: cell.method, size: cell.size, mode: cell.mode });
}
