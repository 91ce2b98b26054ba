/**
 * Test support: where the shared real IR data lives, and whether it is there; a tiny synthetic
 * training task.
 *
 * @module
 */

export { REPO_ROOT, type SharedData, sharedData, sharedPath } from "./shared_data.ts";
export {
  encoderConfig,
  teacherSpec,
  type TinyTask,
  tinyTask,
  type TinyTaskOptions,
} from "./tiny_task.ts";
