/**
 * Test support: where the shared real IR data lives, and whether it is there.
 *
 * @module
 */

export { REPO_ROOT, type SharedData, sharedData, sharedPath } from "./shared_data.ts";
export { parseRunText, referenceEvaluate } from "./reference_eval.ts";
export { beirZip, serveFixture, testLock } from "./fetch_fixture.ts";
