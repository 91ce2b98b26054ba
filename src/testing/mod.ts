/**
 * Test support: where the shared real IR data lives, and whether it is there.
 *
 * @module
 */

export { REPO_ROOT, type SharedData, sharedData, sharedPath } from "./shared_data.ts";
