import { basename, join, relative, resolve, sep } from 'node:path'

import { findRepo, type RepoInfo } from '../versions/find-repo.js'

/** Where a process's records go: the repository, flordb's folder in it, the project's name. */
export interface Location {
  repo: RepoInfo | null
  /** The repository's top (of its main work tree), or the working directory outside git. */
  root: string
  dir: string
  projid: string
}

export const flordbFolder = '.flordb'

export function locate(cwd = process.cwd(), env = process.env): Location {
  const repo = findRepo(cwd)
  const root = repo?.mainRoot ?? resolve(cwd)
  const dir = env.FLORDB_DIR ? resolve(env.FLORDB_DIR) : join(root, flordbFolder)
  const projid = env.FLORDB_PROJID || basename(root)

  return { repo, root, dir, projid }
}

/** A path as records name it: relative to the work tree, with forward slashes. */
export function repoPath(location: Location, path: string): string {
  const base = location.repo?.root ?? location.root

  return relative(base, resolve(path)).split(sep).join('/')
}
