/**
 * Fetching a registry dataset: download with resume, checksum and count verification, unpacking,
 * synthetic generation, and the progress events the CLI renders.
 *
 * @module
 */

export type { FetchEvent, FetchProgress } from "./events.ts";
export { fetchDataset, type FetchOptions, type FetchResult } from "./fetch.ts";
