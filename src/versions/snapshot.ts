import { randomBytes } from 'node:crypto'
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { FlorError } from '../errors.js'
import type { RepoInfo } from './find-repo.js'
import type { GitCommand } from './run-git.js'
import { copyStep, gitStep, runSteps, runStepsSync, sizesStep, sleepStep } from './run-steps.js'
import type { Steps } from './run-steps.js'

export const snapshotRef = 'refs/flordb/snapshots'

// The trailer that tells flordb's commits apart from the user's on the same history.
export const snapshotTrailer = 'Flordb-Snapshot: 1'

export interface SnapshotOptions {
  message: string
  extraFiles?: readonly { path: string; absPath: string }[]
  maxFileBytes?: number
}

export interface Snapshot {
  commit: string
  tree: string
  skipped: readonly { path: string; bytes: number }[]
}

const defaultMaxFileBytes = 10 * 1024 * 1024
const maxRefAttempts = 50

export function snapshotSync(repo: RepoInfo, options: SnapshotOptions): Snapshot {
  return runStepsSync(snapshotSteps(repo, options))
}

export function snapshot(repo: RepoInfo, options: SnapshotOptions): Promise<Snapshot> {
  return runSteps(snapshotSteps(repo, options))
}

export function ensureExcluded(repo: RepoInfo, pattern: string): void {
  const infoDir = join(repo.commonDir, 'info')
  const excludeFile = join(infoDir, 'exclude')
  const current = existsSync(excludeFile) ? readFileSync(excludeFile, 'utf8') : ''

  if (current.split(/\r?\n/).some((line) => line.trim() === pattern)) return

  mkdirSync(infoDir, { recursive: true })

  const separator = current === '' || current.endsWith('\n') ? '' : '\n'

  appendFileSync(excludeFile, `${separator}${pattern}\n`)
}

function* snapshotSteps(repo: RepoInfo, options: SnapshotOptions): Steps<Snapshot> {
  const maxFileBytes = options.maxFileBytes ?? defaultMaxFileBytes
  const index = join(tmpdir(), `flordb-index-${process.pid}-${randomBytes(6).toString('hex')}`)
  const git = (args: readonly string[], extra: Partial<GitCommand> = {}) =>
    gitStep({ args, cwd: repo.root, env: { GIT_INDEX_FILE: index }, ...extra })

  try {
    // Starting from the user's index reuses git's stat cache, so unchanged files are not rehashed.
    const userIndex = join(repo.gitDir, 'index')

    if (existsSync(userIndex)) yield* copyStep(userIndex, index)

    const candidates = splitNul(
      (yield* git(['ls-files', '-z', '-m', '-o', '--exclude-standard'])).stdout,
    )
    const sizes = yield* sizesStep(candidates.map((path) => join(repo.root, path)))
    const skipped = candidates.flatMap((path, i) => {
      const bytes = sizes[i]

      return bytes != null && bytes > maxFileBytes ? [{ path, bytes }] : []
    })
    const pathspecs = ['.', ...skipped.map(({ path }) => `:(exclude,literal)${path}`)]

    yield* git(
      [
        '-c',
        'core.safecrlf=false',
        '-c',
        'advice.addEmbeddedRepo=false',
        'add',
        '--all',
        '--pathspec-from-file=-',
        '--pathspec-file-nul',
      ],
      { input: pathspecs.join('\0') },
    )

    yield* addExtraFiles(repo, options.extraFiles ?? [], git)

    const tree = text(yield* git(['write-tree']))
    const commit = yield* commitAndPublish(repo, tree, options.message)

    return { commit, tree, skipped }
  } finally {
    rmSync(index, { force: true })
    rmSync(`${index}.lock`, { force: true })
  }
}

function* addExtraFiles(
  repo: RepoInfo,
  files: readonly { path: string; absPath: string }[],
  git: (args: readonly string[], extra?: Partial<GitCommand>) => Steps<{ stdout: Buffer }>,
): Steps<void> {
  if (files.length === 0) return

  const entries: string[] = []

  for (const file of files) {
    // Raw bytes: the journal must come back exactly as written, whatever the user's filters.
    const blob = text(yield* git(['hash-object', '-w', '--no-filters', '--', file.absPath]))

    entries.push(`100644 ${blob}\t${toRepoPath(repo, file.path)}`)
  }

  yield* git(['update-index', '--add', '-z', '--index-info'], { input: `${entries.join('\0')}\0` })
}

function* commitAndPublish(repo: RepoInfo, tree: string, message: string): Steps<string> {
  const head = yield* resolveCommit(repo, 'HEAD')
  const identity = yield* fallbackIdentity(repo)
  const body = `${message.trimEnd()}\n\n${snapshotTrailer}\n`

  for (let attempt = 1; ; attempt++) {
    const tip = yield* resolveCommit(repo, snapshotRef)
    const parents = [tip, head].filter((sha): sha is string => sha !== null)
    const commit = text(
      yield* gitStep({
        args: ['commit-tree', tree, ...parents.flatMap((sha) => ['-p', sha]), '-F', '-'],
        cwd: repo.root,
        env: identity,
        input: body,
      }),
    )

    // Compare-and-swap: fails if another run moved the ref since we read it.
    const updated = yield* gitStep({
      args: ['update-ref', '-m', 'flordb snapshot', snapshotRef, commit, tip ?? ''],
      cwd: repo.root,
      okCodes: [1, 128],
    })

    if (updated.status === 0) return commit

    if (attempt >= maxRefAttempts) {
      throw new FlorError(
        'E_GIT',
        `could not update ${snapshotRef} after ${attempt} attempts: ${updated.stderr.trim()}`,
      )
    }

    // Jitter keeps racing runs from colliding again in lockstep.
    yield* sleepStep(5 + Math.floor(Math.random() * 20 * Math.min(attempt, 5)))
  }
}

function* resolveCommit(repo: RepoInfo, rev: string): Steps<string | null> {
  const result = yield* gitStep({
    args: ['rev-parse', '--quiet', '--verify', `${rev}^{commit}`],
    cwd: repo.root,
    okCodes: [1, 128],
  })

  return result.status === 0 ? text(result) : null
}

function* fallbackIdentity(repo: RepoInfo): Steps<Record<string, string>> {
  const env: Record<string, string> = {}

  // Never write config: a missing identity is filled in for flordb's own commits only.
  for (const role of ['AUTHOR', 'COMMITTER'] as const) {
    const known = yield* gitStep({
      args: ['var', `GIT_${role}_IDENT`],
      cwd: repo.root,
      okCodes: [128],
    })

    if (known.status !== 0) {
      env[`GIT_${role}_NAME`] = 'flordb'
      env[`GIT_${role}_EMAIL`] = 'flordb@localhost'
    }
  }

  return env
}

function toRepoPath(repo: RepoInfo, path: string): string {
  const normalized = path.replaceAll('\\', '/').replace(/^\.\//, '')

  if (normalized === '' || normalized.startsWith('/') || normalized.split('/').includes('..')) {
    throw new TypeError(`snapshot path ${path} must be relative to ${repo.root}`)
  }

  return normalized
}

function splitNul(buffer: Buffer): string[] {
  return buffer
    .toString('utf8')
    .split('\0')
    .filter((entry) => entry !== '')
}

function text(result: { stdout: Buffer }): string {
  return result.stdout.toString('utf8').trim()
}
