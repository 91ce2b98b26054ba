/**
 * Data: the dataset registry, fetch and cache, streaming loaders for BEIR, MS MARCO, DPR, TREC
 * topics and SMART (Cranfield), the records they yield, and the synthetic corpus generator.
 *
 * @module
 */

export type { DatasetCounts, Document, Query } from "./records.ts";
/** The loaders yield eval's judgment record, re-exported for their callers. */
export type { Judgment } from "../eval/mod.ts";
export {
  beirPaths,
  type BeirSplit,
  countBeirDataset,
  loadBeirSplit,
  readBeirCorpus,
  readBeirQrels,
  readBeirQueries,
} from "./beir.ts";
export { readMsmarcoCollection, readMsmarcoQueries } from "./msmarco.ts";
export { type DprExample, readDprBiencoder, readDprPassages } from "./dpr.ts";
export { readSgmlTopics, readTsvTopics, topicQuery, type TrecTopic } from "./trec_topics.ts";
export {
  countCranfield,
  cranfieldPaths,
  type CranfieldQuery,
  readCranfieldDocuments,
  readCranfieldQrels,
  readCranfieldQueries,
} from "./smart.ts";
export type { DatasetEntry, DownloadEntry, Registry, SyntheticEntry } from "./registry_types.ts";
export {
  DatasetNotFoundError,
  DEFAULT_LOCK_PATH,
  downloadSize,
  findDataset,
  loadRegistry,
} from "./registry.ts";
export { ChecksumMismatchError } from "./checksum.ts";
export { cacheHome, datasetPaths, datasetStatus, MARKER_NAME } from "./cache.ts";
export { dataFolder } from "./data_folder.ts";
export {
  type InstalledDataset,
  installedDatasets,
  type StagingFolder,
  stagingFolders,
} from "./cache_inventory.ts";
export { processAlive } from "./cache_lock.ts";
export { type ContentProblem, describeProblem } from "./dataset_contents.ts";
export { verifyDataset, type VerifyResult } from "./verify.ts";
export { fetchDataset, type FetchEvent } from "./fetch/mod.ts";
export * as synthetic from "./synthetic/mod.ts";
export {
  DatasetNotCachedError,
  type LoadedSplit,
  loadSplit,
  type LoadSplitOptions,
  resolveSplitSource,
  type SplitSource,
} from "./load_split.ts";
export { loadUnlabelled, POOL_FILE, type Unlabelled } from "./unlabelled.ts";
