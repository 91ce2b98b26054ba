/**
 * The progress renderer every CLI uses: on a terminal one redrawn line (bar, done/total, named
 * values, rate, ETA) at most ~10 times a second; otherwise plain lines at a bounded rate (each
 * `plainStep` of the total, or every `plainInterval` ms). Writes to stderr only.
 *
 * @module
 */

/** Where a renderer writes and what the stream supports. */
export interface ProgressSink {
  /** Write text as is (the renderer supplies `\r` and `\n`). */
  readonly write: (text: string) => void;
  /** A terminal: redraw one line; otherwise print plain lines. */
  readonly tty: boolean;
  /** Colour the bar (only on a terminal; see {@link colorEnabled}). */
  readonly color?: boolean;
  /** Terminal width: a redrawn line is cut to `columns - 1` characters so it never wraps. */
  readonly columns?: number;
}

/** One progress update. */
export interface ProgressUpdate {
  /** Units done (steps, bytes, sequences). */
  readonly done: number;
  /** Units in total (<= 0: unknown, no bar or percentage). */
  readonly total: number;
  /** Named values shown after the counts, e.g. `[["loss", "0.512"], ["score-kd", "0.31"]]`. */
  readonly fields?: readonly (readonly [string, string])[];
  /** Throughput already formatted, e.g. `"412 ex/s"`. */
  readonly rate?: string;
  /** Estimated seconds left (omitted when undefined or not finite). */
  readonly etaSeconds?: number;
}

/** Options of {@link ProgressBar}. */
export interface ProgressOptions {
  /** Shown first on every line, e.g. a file name or `"train"`. */
  readonly label: string;
  /** Formats `done` and `total` (default: the integer). */
  readonly formatCount?: (n: number) => string;
  /** Bar width in characters on a terminal (default 30). */
  readonly width?: number;
  /** Minimum ms between terminal redraws (default 100, ~10 Hz). */
  readonly redrawInterval?: number;
  /** Plain mode: a line each time this fraction of the total is crossed (default 0.1). */
  readonly plainStep?: number;
  /** Plain mode: a line at least this often in ms while updates arrive (default 30 000). */
  readonly plainInterval?: number;
  /** Clock in ms (default `Date.now`); tests pass their own. */
  readonly now?: () => number;
}

/**
 * Whether colour may be used: a terminal, and `NO_COLOR` unset or empty (https://no-color.org).
 */
export function colorEnabled(tty: boolean, env: (name: string) => string | undefined): boolean {
  const noColor = env("NO_COLOR");
  return tty && (noColor === undefined || noColor === "");
}

/** The default sink: stderr, terminal detection, `NO_COLOR` honoured. */
export function stderrSink(): ProgressSink {
  const tty = Deno.stderr.isTerminal();
  const encoder = new TextEncoder();
  let color = false;
  try {
    color = colorEnabled(tty, (name) => Deno.env.get(name));
  } catch {
    color = false; // no env permission: stay plain
  }
  let columns: number | undefined;
  if (tty) {
    try {
      columns = Deno.consoleSize().columns;
    } catch {
      columns = undefined; // stdout is not the terminal: width unknown
    }
  }
  const write = (text: string) => {
    Deno.stderr.writeSync(encoder.encode(text));
  };
  return columns === undefined ? { write, tty, color } : { write, tty, color, columns };
}

/** Seconds as `45s`, `3m05s` or `2h07m` (`--` when not finite or negative). */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "--";
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  const m = Math.floor(s / 60);
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, "0")}m`;
}

/** A loss-like value with 4 significant digits (`0.5123`, `12.35`, `1.234e-5`). */
export function formatValue(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x !== 0 && Math.abs(x) < 1e-3) return x.toExponential(3);
  return Number(x.toPrecision(4)).toString();
}

const GREEN = "\x1b[32m";
const DIM = "\x1b[2m";
const RESET = "\x1b[0m";

/**
 * A progress display for one task. Call {@link ProgressBar.update} as work advances,
 * {@link ProgressBar.log} for lines that must not be overwritten, and
 * {@link ProgressBar.finish} at the end (it ends the terminal line).
 *
 * @example
 * ```ts
 * const bar = new ProgressBar(stderrSink(), { label: "train" });
 * bar.update({ done: 10, total: 100, fields: [["loss", "0.51"]], rate: "420 ex/s", etaSeconds: 30 });
 * bar.finish();
 * ```
 */
export class ProgressBar {
  readonly #sink: ProgressSink;
  readonly #label: string;
  readonly #count: (n: number) => string;
  readonly #width: number;
  readonly #redraw: number;
  readonly #step: number;
  readonly #interval: number;
  readonly #now: () => number;
  #lastDraw = -Infinity;
  #lastLineLength = 0;
  #lastBucket = -1;
  #last: ProgressUpdate | undefined;
  #onLine = false;

  /** A renderer writing to `sink`. */
  constructor(sink: ProgressSink, options: ProgressOptions) {
    this.#sink = sink;
    this.#label = options.label;
    this.#count = options.formatCount ?? ((n) => String(n));
    this.#width = options.width ?? 30;
    this.#redraw = options.redrawInterval ?? 100;
    this.#step = options.plainStep ?? 0.1;
    this.#interval = options.plainInterval ?? 30_000;
    this.#now = options.now ?? Date.now;
    if (!(this.#step > 0 && this.#step <= 1)) {
      throw new RangeError(
        `Cannot render progress: plainStep must be in (0, 1], found ${this.#step}`,
      );
    }
  }

  /** Record progress; draws when the rate limit allows (the last unit is always drawn). */
  update(update: ProgressUpdate): void {
    this.#last = update;
    const now = this.#now();
    const complete = update.total > 0 && update.done >= update.total;
    if (this.#sink.tty) {
      if (!complete && now - this.#lastDraw < this.#redraw) return;
      this.#lastDraw = now;
      this.#draw(update);
      return;
    }
    const bucket = update.total > 0
      ? Math.floor(Math.min(1, update.done / update.total) / this.#step + 1e-9)
      : -1;
    const due = bucket !== this.#lastBucket || now - this.#lastDraw >= this.#interval;
    if (!due) return;
    this.#lastBucket = bucket;
    this.#lastDraw = now;
    this.#sink.write(this.#line(update, false) + "\n");
  }

  /** Print a line (e.g. an evaluation result) above the bar, then redraw the bar. */
  log(line: string): void {
    if (this.#sink.tty && this.#onLine) {
      this.#sink.write(`\r${line.padEnd(this.#lastLineLength)}\n`);
      this.#onLine = false;
      this.#lastLineLength = 0;
      if (this.#last !== undefined) this.#draw(this.#last);
      return;
    }
    this.#sink.write(line + "\n");
  }

  /** End the display: on a terminal, draw the last update and end its line. */
  finish(): void {
    if (this.#sink.tty && this.#onLine) {
      if (this.#last !== undefined) this.#draw(this.#last);
      this.#sink.write("\n");
      this.#onLine = false;
      this.#lastLineLength = 0;
    }
  }

  #draw(update: ProgressUpdate): void {
    let text = this.#line(update, true, this.#sink.color === true);
    let visible = this.#line(update, true, false).length;
    const columns = this.#sink.columns;
    if (columns !== undefined && columns > 1 && visible > columns - 1) {
      text = this.#line(update, true, false).slice(0, columns - 1);
      visible = text.length;
    }
    const pad = " ".repeat(Math.max(0, this.#lastLineLength - visible));
    this.#lastLineLength = visible;
    this.#onLine = true;
    this.#sink.write(`\r${text}${pad}`);
  }

  #line(update: ProgressUpdate, bar: boolean, color = false): string {
    const known = update.total > 0;
    const fraction = known ? Math.min(1, Math.max(0, update.done / update.total)) : 0;
    const parts = [this.#label + (bar ? "" : ":")];
    if (bar && known) {
      const filled = Math.round(fraction * this.#width);
      const done = "#".repeat(filled);
      const rest = "-".repeat(this.#width - filled);
      parts.push(color ? `[${GREEN}${done}${RESET}${rest}]` : `[${done}${rest}]`);
    }
    if (known) {
      parts.push(`${(fraction * 100).toFixed(1)}%`);
      parts.push(`${this.#count(update.done)}/${this.#count(update.total)}`);
    } else parts.push(this.#count(update.done));
    for (const [name, value] of update.fields ?? []) parts.push(`${name} ${value}`);
    const tail: string[] = [];
    if (update.rate !== undefined) tail.push(update.rate);
    if (update.etaSeconds !== undefined && Number.isFinite(update.etaSeconds)) {
      tail.push(`ETA ${formatDuration(update.etaSeconds)}`);
    }
    if (tail.length > 0) {
      const joined = tail.join(" ");
      parts.push(color ? `${DIM}${joined}${RESET}` : joined);
    }
    return parts.join(" ");
  }
}
