/**
 * What every command shares, for entry points outside src/cli (experiments/, bench/): the one
 * UsageError (exit status 2), command-line parsing with `--config FILE`, user paths resolved
 * against the directory the task was run from, and the progress renderer.
 *
 * @module
 */

export { UsageError } from "./usage_error.ts";
export { parseCommand, type ParsedCommand, userDirectory, userPath } from "./command_args.ts";
export {
  formatDuration,
  formatValue,
  ProgressBar,
  type ProgressSink,
  stderrSink,
} from "./progress.ts";
export { trainingRenderer } from "./training_progress.ts";
