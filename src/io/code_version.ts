/**
 * The code version a result was produced by: the git commit of this repository and whether its
 * working tree had uncommitted changes. Unknown (null) rather than an error without git or its
 * permission, so an unattended run never stalls on a prompt.
 *
 * @module
 */

import { fileURLToPath } from "node:url";

/** The repository this file belongs to. */
const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** The commit the code ran at and whether the working tree had uncommitted changes. */
export interface CodeVersion {
  readonly commit: string;
  readonly dirty: boolean;
}

function gitPermitted(): boolean {
  try {
    return Deno.permissions.querySync({ name: "run", command: "git" }).state === "granted";
  } catch {
    return false;
  }
}

async function git(args: readonly string[], cwd: string): Promise<string | null> {
  if (!gitPermitted()) return null;
  try {
    const out = await new Deno.Command("git", {
      args: [...args],
      cwd,
      stdout: "piped",
      stderr: "null",
      stdin: "null",
    }).output();
    return out.success ? new TextDecoder().decode(out.stdout) : null;
  } catch {
    // No git on PATH: the version is unknown, not an error.
    return null;
  }
}

/**
 * `git rev-parse HEAD` and `git status --porcelain` in `repo` (default: this repository), or null
 * when git is missing, not permitted (`--allow-run=git`; never prompted for), or `repo` is not a
 * git checkout with a commit.
 */
export async function codeVersion(repo: string = REPO_ROOT): Promise<CodeVersion | null> {
  const head = await git(["rev-parse", "HEAD"], repo);
  if (head === null || !/^[0-9a-f]{40,64}$/.test(head.trim())) return null;
  const status = await git(["status", "--porcelain"], repo);
  if (status === null) return null;
  return { commit: head.trim(), dirty: status.trim() !== "" };
}
