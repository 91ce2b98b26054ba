/**
 * Data: the dataset registry, fetch and cache, streaming loaders for BEIR, MS MARCO, DPR, TREC
 * topics and SMART (Cranfield), the records they yield, and the synthetic corpus generator.
 *
 * @module
 */

export {
  type DatasetCounts,
  type Document,
  duplicateIdError,
  IdTracker,
  lineError,
  type Query,
} from "./records.ts";
/** The loaders yield eval's judgment record, re-exported for their callers. */
export type { Judgment } from "../eval/mod.ts";
export {
  type BeirPaths,
  beirPaths,
  type BeirReadOptions,
  type BeirSplit,
  countBeirDataset,
  loadBeirSplit,
  readBeirCorpus,
  readBeirQrels,
  readBeirQueries,
} from "./beir.ts";
export { type MsmarcoReadOptions, readMsmarcoCollection, readMsmarcoQueries } from "./msmarco.ts";
export {
  type DprContext,
  type DprExample,
  type DprPassageOptions,
  readDprBiencoder,
  readDprPassages,
  unquoteTsvField,
} from "./dpr.ts";
export {
  readIdTextLines,
  readSgmlTopics,
  readTsvTopics,
  type TopicField,
  topicQuery,
  type TopicReadOptions,
  type TrecTopic,
} from "./trec_topics.ts";
export {
  countCranfield,
  type CranfieldPaths,
  cranfieldPaths,
  type CranfieldQuery,
  type CranfieldRelevance,
  readCranfieldDocuments,
  readCranfieldQrels,
  readCranfieldQueries,
  readSmartRecords,
  type SmartRecord,
} from "./smart.ts";
export type {
  CountMethod,
  CountSubject,
  DatasetEntry,
  DatasetFile,
  DownloadEntry,
  ExpectedCount,
  Registry,
  SyntheticEntry,
  UnpackKind,
} from "./registry_types.ts";
export {
  DatasetNotFoundError,
  DEFAULT_LOCK_PATH,
  downloadSize,
  findDataset,
  loadRegistry,
  parseRegistry,
} from "./registry.ts";
export {
  assertDigests,
  ChecksumMismatchError,
  type Digests,
  hashFile,
  type PinnedChecksum,
} from "./checksum.ts";
export {
  cacheHome,
  type DatasetMarker,
  type DatasetPaths,
  datasetPaths,
  type DatasetStatus,
  datasetStatus,
  MARKER_NAME,
  type ObservedCount,
} from "./cache.ts";
export { acquireLock, type HeldLock, type LockOptions, type LockOwner } from "./cache_lock.ts";
export type { FetchEvent, FetchProgress } from "./fetch/events.ts";
export { downloadFile, type DownloadOptions, type DownloadRequest } from "./fetch/download.ts";
export { countBy, verifyCounts } from "./fetch/counts.ts";
export { unpackFile, type UnpackOptions } from "./unpack/unpack.ts";
export { fetchDataset, type FetchOptions, type FetchResult } from "./fetch/fetch.ts";
export * as synthetic from "./synthetic/mod.ts";
