/**
 * `teacher.json` in a student's model directory: the absolute path and content hash of the
 * teacher it was distilled from, so the student's document side (the teacher's document tower)
 * can be found from the student alone.
 *
 * @module
 */

import { join } from "node:path";
import { writeFileAtomic } from "../io/mod.ts";

/** File name of the teacher record inside a student's model directory. */
export const TEACHER_RECORD_FILE = "teacher.json";

/** Where a student's teacher is: its model directory (absolute) and its `modelHash`. */
export interface TeacherRecord {
  readonly path: string;
  readonly hash: string;
}

/** Write `dir/teacher.json` atomically (`{"path": ..., "hash": ...}`); returns its path. */
export async function writeTeacherRecord(dir: string, record: TeacherRecord): Promise<string> {
  const path = join(dir, TEACHER_RECORD_FILE);
  await Deno.mkdir(dir, { recursive: true });
  await writeFileAtomic(
    path,
    JSON.stringify({ path: record.path, hash: record.hash }, null, 2) + "\n",
  );
  return path;
}

/** Read `dir/teacher.json`; undefined when absent, SyntaxError when malformed. */
export async function readTeacherRecord(dir: string): Promise<TeacherRecord | undefined> {
  const path = join(dir, TEACHER_RECORD_FILE);
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new SyntaxError(`Cannot parse "${path}": ${String(error)}`);
  }
  const o = (typeof json === "object" && json !== null ? json : {}) as Record<string, unknown>;
  const { path: teacher, hash } = o;
  if (typeof teacher !== "string" || teacher === "" || typeof hash !== "string" || hash === "") {
    throw new SyntaxError(
      `Cannot read "${path}": expected {"path": string, "hash": string}, found ${text.trim()}`,
    );
  }
  return { path: teacher, hash };
}
