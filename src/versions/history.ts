import { FlorError } from '../errors.js'
import type { RepoInfo } from './find-repo.js'
import { runGit } from './run-git.js'
import { snapshotRef, snapshotTrailer } from './snapshot.js'

export interface SnapshotEntry {
  commit: string
  parents: string[]
  message: string
  time: Date
  files: string[]
}

const flordbDir = '.flordb'

export async function listSnapshots(repo: RepoInfo): Promise<SnapshotEntry[]> {
  const tip = await runGit({
    args: ['rev-parse', '--quiet', '--verify', `${snapshotRef}^{commit}`],
    cwd: repo.root,
    okCodes: [1, 128],
  })

  if (tip.status !== 0) return []

  // Every snapshot's first parent is the previous tip, so the first-parent chain holds them
  // all; it leaves it at the user's commit the first snapshot was taken on.
  const log = await runGit({
    args: ['log', '--first-parent', '-z', '--format=%H%x00%P%x00%ct%x00%B', snapshotRef, '--'],
    cwd: repo.root,
  })
  const fields = log.stdout.toString('utf8').split('\0')
  const entries: Omit<SnapshotEntry, 'files'>[] = []

  for (let i = 0; i + 3 < fields.length; i += 4) {
    const [commit = '', parents = '', seconds = '', body = ''] = fields.slice(i, i + 4)

    if (!isSnapshotMessage(body)) break

    entries.push({
      commit: commit.trim(),
      parents: parents.split(' ').filter((sha) => sha !== ''),
      message: stripTrailer(body),
      time: new Date(Number(seconds) * 1000),
    })
  }

  entries.reverse()

  const files = await mapLimit(entries, 8, (entry) => listFilesAt(repo, entry.commit, flordbDir))

  return entries.map((entry, i) => ({ ...entry, files: files[i] ?? [] }))
}

export async function readFileAt(repo: RepoInfo, commit: string, path: string): Promise<Buffer> {
  const result = await runGit({
    args: ['cat-file', 'blob', `${commit}:${path}`],
    cwd: repo.root,
    okCodes: [128],
  })

  if (result.status !== 0) {
    throw new FlorError('E_GIT', `${path} is not a file in version ${commit.slice(0, 12)}`)
  }

  return result.stdout
}

/**
 * Reads many files of many versions with one git process (`cat-file --batch`):
 * planning a replay over fifty versions would otherwise start fifty of them.
 * A file missing from its version comes back as null.
 */
export async function readFilesAt(
  repo: RepoInfo,
  wanted: readonly { commit: string; path: string }[],
): Promise<(Buffer | null)[]> {
  if (wanted.length === 0) return []

  const result = await runGit({
    args: ['cat-file', '--batch'],
    cwd: repo.root,
    input: wanted.map(({ commit, path }) => `${commit}:${path}\n`).join(''),
  })
  const out = result.stdout
  const files: (Buffer | null)[] = []
  let at = 0

  for (let i = 0; i < wanted.length; i++) {
    const end = out.indexOf(10, at)
    const header = out.toString('utf8', at, end).split(' ')

    at = end + 1

    if (header.length !== 3 || header[1] !== 'blob') {
      files.push(null)
      continue
    }

    const size = Number(header[2])

    files.push(out.subarray(at, at + size))
    at += size + 1
  }

  return files
}

export async function listFilesAt(
  repo: RepoInfo,
  commit: string,
  under?: string,
): Promise<string[]> {
  const result = await runGit({
    args: [
      'ls-tree',
      '-r',
      '-z',
      '--name-only',
      '--full-tree',
      commit,
      '--',
      ...(under ? [under] : []),
    ],
    cwd: repo.root,
  })

  return result.stdout
    .toString('utf8')
    .split('\0')
    .filter((path) => path !== '')
}

export async function diffVersions(
  repo: RepoInfo,
  from: string,
  to: string,
  options: { paths?: readonly string[] } = {},
): Promise<string> {
  const paths = options.paths?.length ? options.paths.map((path) => `:(top)${path}`) : [':(top)']
  const result = await runGit({
    args: [
      '-c',
      'core.quotePath=false',
      'diff',
      '--no-color',
      '--no-ext-diff',
      '--src-prefix=a/',
      '--dst-prefix=b/',
      from,
      to,
      '--',
      ...paths,
      `:(top,exclude)${flordbDir}`,
    ],
    cwd: repo.root,
  })

  return result.stdout.toString('utf8')
}

function isSnapshotMessage(body: string): boolean {
  return body.split('\n').some((line) => line.trim() === snapshotTrailer)
}

function stripTrailer(body: string): string {
  return body
    .split('\n')
    .filter((line) => line.trim() !== snapshotTrailer)
    .join('\n')
    .trim()
}

async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length)
  let next = 0

  const worker = async () => {
    while (next < items.length) {
      const i = next++

      results[i] = await fn(items[i] as T)
    }
  }

  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))

  return results
}
