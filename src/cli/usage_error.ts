/**
 * The one command-line mistake error of the CLIs: printed with the usage line, exit status 2.
 *
 * @module
 */

/** A command-line mistake: the CLI prints it with the usage line and exits 2. */
export class UsageError extends Error {
  /** A usage error with `message`. */
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}
