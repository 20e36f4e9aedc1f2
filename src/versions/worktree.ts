import { existsSync, readFileSync, statSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { join, relative, resolve } from 'node:path'

import type { RepoInfo } from './find-repo.js'
import { runGit } from './run-git.js'

// Hooks belong to the user's workflow (formatters, husky); a replay checkout must not run them.
const noHooks = ['-c', 'core.hooksPath=/dev/null']

export async function addWorktree(repo: RepoInfo, commit: string, dir: string): Promise<void> {
  await runGit({
    args: [...noHooks, 'worktree', 'add', '--detach', '--force', resolve(dir), commit],
    cwd: repo.root,
  })
}

export async function removeWorktree(repo: RepoInfo, dir: string): Promise<void> {
  const target = resolve(dir)

  if (isInside(repo.root, target) || isInside(repo.mainRoot, target)) {
    throw new TypeError(`refusing to remove ${target}: it holds the user's work tree`)
  }

  const removed = await runGit({
    args: ['worktree', 'remove', '--force', '--force', target],
    cwd: repo.root,
    okCodes: [128],
  })

  // Already gone from git's list (second call, or a crash mid-removal): clear what is left
  // on disk, but only if it is one of this repository's linked work trees.
  if (removed.status !== 0 && isLinkedWorktreeOf(repo, target)) {
    await rm(target, { recursive: true, force: true })
  }

  await runGit({ args: ['worktree', 'prune'], cwd: repo.root })
}

function isLinkedWorktreeOf(repo: RepoInfo, dir: string): boolean {
  const dotGit = join(dir, '.git')

  if (!existsSync(dotGit) || !statSync(dotGit).isFile()) return false

  const gitDir = /^gitdir: (.*)$/m.exec(readFileSync(dotGit, 'utf8'))?.[1]?.trim()

  return gitDir !== undefined && isInside(resolve(dir, gitDir), join(repo.commonDir, 'worktrees'))
}

function isInside(path: string, parent: string): boolean {
  const rel = relative(parent, path)

  return rel === '' || (!rel.startsWith('..') && !rel.startsWith('/'))
}
