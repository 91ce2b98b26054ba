/**
 * Progress events of a dataset fetch, delivered to a callback that the CLI renders (a bar on a
 * TTY, plain lines otherwise); the library itself never prints.
 *
 * @module
 */

/** One step of a fetch, in the order they happen. */
export type FetchEvent =
  | { readonly kind: "present"; readonly id: string; readonly dir: string }
  | { readonly kind: "waiting-for-lock"; readonly id: string; readonly holderPid: number | null }
  | {
    readonly kind: "download-start";
    readonly file: string;
    readonly url: string;
    readonly total: number;
    /** Bytes already on disk from an earlier interrupted download (0 when starting afresh). */
    readonly resumeFrom: number;
  }
  | {
    readonly kind: "download-progress";
    readonly file: string;
    readonly bytes: number;
    readonly total: number;
  }
  | {
    readonly kind: "download-restart";
    readonly file: string;
    /** Why the partial download was discarded. */
    readonly reason: string;
  }
  | { readonly kind: "download-done"; readonly file: string; readonly bytes: number }
  | { readonly kind: "verified"; readonly file: string; readonly md5: string }
  | { readonly kind: "unpack"; readonly file: string; readonly entry: string }
  | {
    readonly kind: "count";
    readonly file: string;
    readonly what: string;
    readonly split: string | null;
    readonly expected: number | null;
    readonly observed: number;
  }
  | { readonly kind: "done"; readonly id: string; readonly dir: string };

/** Receiver of {@linkcode FetchEvent}s. */
export type FetchProgress = (event: FetchEvent) => void;
