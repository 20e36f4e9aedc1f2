import { statSync } from 'node:fs'
import { resolve } from 'node:path'

import { FlorError } from '../errors.js'
import { runGitSync, stdoutText } from './run-git.js'

export interface RepoInfo {
  root: string
  mainRoot: string
  gitDir: string
  commonDir: string
  head: string | null
  branch: string | null
}

export function findRepo(cwd: string): RepoInfo | null {
  const dir = resolve(cwd)

  if (!isDirectory(dir)) return null

  const located = runGitSync({
    args: [
      'rev-parse',
      '--path-format=absolute',
      '--show-toplevel',
      '--absolute-git-dir',
      '--git-common-dir',
    ],
    cwd: dir,
    okCodes: [128],
  })

  // Git stops at a repository it does not trust; saying "not a repository" would mislead.
  if (located.stderr.includes('safe.directory')) {
    throw new FlorError(
      'E_GIT',
      `git refuses to use the repository at ${dir}: ${located.stderr.trim()}`,
    )
  }

  // 128 is git's "not a git repository"; a bare repository prints no top level.
  const lines = stdoutText(located).split('\n')

  if (located.status !== 0 || lines.length !== 3) return null

  const [root, gitDir, commonDir] = lines as [string, string, string]
  const head = runGitSync({
    args: ['rev-parse', '--quiet', '--verify', 'HEAD^{commit}'],
    cwd: root,
    okCodes: [1],
  })
  const branch = runGitSync({
    args: ['symbolic-ref', '--quiet', '--short', 'HEAD'],
    cwd: root,
    okCodes: [1],
  })

  return {
    root,
    mainRoot: gitDir === commonDir ? root : mainWorktreeRoot(root),
    gitDir,
    commonDir,
    head: head.status === 0 ? stdoutText(head) : null,
    branch: branch.status === 0 ? stdoutText(branch) : null,
  }
}

function mainWorktreeRoot(root: string): string {
  const list = runGitSync({ args: ['worktree', 'list', '--porcelain', '-z'], cwd: root })
  const fields = list.stdout.toString('utf8').split('\0')
  const first = fields[0] ?? ''

  // A bare main repository has no work tree of its own; each linked one then keeps its own.
  if (fields[1] === 'bare' || !first.startsWith('worktree ')) return root

  return first.slice('worktree '.length)
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory()
  } catch {
    return false
  }
}
