import { spawn, type ChildProcess } from 'node:child_process'
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { dirname, join, sep } from 'node:path'
import { performance } from 'node:perf_hooks'
import { pathToFileURL } from 'node:url'

import { journalsFolder } from '../journal/catch-up.js'
import { ingestJournal } from '../journal/ingest-journal.js'
import { glanceJournal } from '../journal/glance-journal.js'
import { readJournal } from '../journal/read-journal.js'
import type { Location } from '../record/location.js'
import type { ReplaySettings } from '../record/replay-settings.js'
import type { Backend } from '../store/backend.js'
import { addWorktree, removeWorktree } from '../versions/worktree.js'
import { checkFidelity, type Fidelity } from './fidelity.js'
import type { ReplayJob } from './replay-plan.js'

export interface JobResult {
  job: ReplayJob
  ok: boolean
  seconds: number
  /** The last lines the process wrote to stderr, when it failed. */
  error?: string
  records: number
  fidelity?: Fidelity
  /** The replay's journal, once its records are in the store. */
  journal?: string
}

export interface JobContext {
  store: Backend
  location: Location
  /** Where worktrees and settings go; removed by the caller. */
  scratch: string
  /** The version of the code the statements come from. */
  from: string | null
  /** Children still running, so an interrupt can stop them. */
  children: Set<ChildProcess>
  /** Paths of the user's tree (git-ignored data) to link into each worktree. */
  links?: readonly string[]
}

/**
 * Runs one job: the run's version checked out in a worktree of its own (never
 * the user's), the statements written in, the recorded command started with
 * the replay settings, and its journal added to the run's records.
 */
export async function runReplayJob(job: ReplayJob, context: JobContext): Promise<JobResult> {
  const { location, scratch } = context
  const repo = location.repo!
  const id = job.id.replace(/[^\w.#-]/g, '-')
  const worktree = join(scratch, id)
  const started = performance.now()

  await checkout(repo, job.run.version, worktree)

  try {
    for (const file of job.files) writeFileSync(join(worktree, file.path), file.source)

    linkDependencies(location.root, worktree, [dirname(job.run.filename), job.run.runtime.cwd])
    linkPaths(location.root, worktree, context.links ?? [])

    const settingsFile = join(scratch, `${id}.json`)
    const settings: ReplaySettings = {
      of: job.run.tstamp,
      from: context.from,
      names: job.names,
      args: job.args,
      strategy: job.strategy,
      loop: job.loop,
      iterations: job.iterations,
      restoreFrom: job.restoreFrom,
      keepPrefix: job.keepPrefix,
      checkpoints: job.checkpoints,
    }

    writeFileSync(settingsFile, JSON.stringify(settings))

    const exit = await runProcess(job, worktree, settingsFile, context)
    const seconds = (performance.now() - started) / 1000
    const journalFile = findJournal(location.dir, exit.pid, job.run.tstamp)
    const journal = journalFile ? readJournal(readFileSync(journalFile)) : undefined

    if (exit.code !== 0 || !journal || !journalFile) {
      // A failed replay's partial records are kept aside, never mixed into the run.
      if (journalFile) renameSync(journalFile, `${journalFile}.failed`)

      const error =
        withoutFolder(exit.stderr, worktree) || `exited with ${exit.code ?? exit.signal}`

      return { job, ok: false, seconds, error, records: 0 }
    }

    await ingestJournal(context.store, journal, {
      key: `${journalsFolder}/${journalFile.split(/[\\/]/).pop()}`,
    })

    return {
      job,
      ok: true,
      seconds,
      records: journal.logs.length,
      fidelity: await checkFidelity(context.store, job.run.runId, journal),
      journal: journalFile,
    }
  } finally {
    await oneAtATime(() => removeWorktree(repo, worktree))
  }
}

let worktreeTurn: Promise<unknown> = Promise.resolve()

/**
 * Git reads every linked worktree's files when it adds one, and fails on one
 * that another `git worktree` command is removing or pruning: this process
 * runs them one at a time.
 */
function oneAtATime<T>(task: () => Promise<T>): Promise<T> {
  const result = worktreeTurn.then(task)

  worktreeTurn = result.catch(() => undefined)

  return result
}

// Another process (make -j running jobs of an emitted plan) may still collide: try again.
async function checkout(
  repo: NonNullable<Location['repo']>,
  version: string,
  worktree: string,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await oneAtATime(() => addWorktree(repo, version, worktree))
    } catch (error) {
      if (attempt === 4) throw error

      await oneAtATime(() => removeWorktree(repo, worktree)).catch(() => undefined)
      rmSync(worktree, { recursive: true, force: true })
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt + Math.random() * 100))
    }
  }
}

// The worktree is gone once the job ends: its files are named as in the repository.
function withoutFolder(text: string, worktree: string): string {
  const folders = new Set([worktree, realpathSync(worktree)])
  let result = text

  for (const folder of folders) {
    result = result
      .replaceAll(`${pathToFileURL(folder).href}/`, '')
      .replaceAll(`${folder}${sep}`, '')
  }

  return result
}

/**
 * A worktree has the code but not the ignored dependencies; the project's own
 * serve: those at the top and those of every folder down to the script's and
 * to where it ran, as in a repository whose package sits in a subfolder.
 */
function linkDependencies(root: string, worktree: string, folders: readonly string[]): void {
  const linked = new Set<string>()

  for (const folder of folders) {
    const parts = folder.split('/').filter((part) => part !== '' && part !== '.')

    for (let depth = 0; depth <= parts.length; depth++) {
      const inside = parts.slice(0, depth).join('/')
      const modules = join(root, inside, 'node_modules')
      const target = join(worktree, inside, 'node_modules')

      if (linked.has(inside) || !existsSync(modules) || !existsSync(join(worktree, inside)))
        continue

      linked.add(inside)

      if (!existsSync(target)) symlinkSync(modules, target, 'dir')
    }
  }
}

// Data git does not version (a dataset folder) is not in a worktree; the user
// names what old code needs, and it is linked, not copied. A link is the user's
// own folder, so old code that writes there writes into it: link inputs only.
function linkPaths(root: string, worktree: string, paths: readonly string[]): void {
  for (const path of paths) {
    const source = join(root, path)
    const target = join(worktree, path)

    if (!existsSync(source)) throw new Error(`--link ${path}: there is no ${source}`)

    if (existsSync(target)) continue

    mkdirSync(dirname(target), { recursive: true })
    symlinkSync(source, target)
  }
}

interface Exit {
  pid: number
  code: number | null
  signal: NodeJS.Signals | null
  stderr: string
}

function runProcess(
  job: ReplayJob,
  worktree: string,
  settingsFile: string,
  context: JobContext,
): Promise<Exit> {
  const { runtime, argv, filename } = job.run
  const child = spawn(runtime.execPath, [...runtime.execArgv, join(worktree, filename), ...argv], {
    cwd: join(worktree, runtime.cwd),
    env: {
      ...process.env,
      FLORDB_DIR: context.location.dir,
      FLORDB_PROJID: context.location.projid,
      FLORDB_REPLAY: settingsFile,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let stderr = ''

  context.children.add(child)
  child.stderr!.setEncoding('utf8')
  child.stderr!.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000)
  })

  return new Promise((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code, signal) => {
      context.children.delete(child)
      resolve({ pid: child.pid ?? -1, code, signal, stderr: stderr.trim() })
    })
  })
}

function findJournal(dir: string, pid: number, tstamp: string): string | undefined {
  const folder = join(dir, journalsFolder)

  for (const file of readdirSync(folder)) {
    if (!file.endsWith('.jsonl')) continue

    const path = join(folder, file)
    const { header } = glanceJournal(path)

    if (header?.runtime.pid === pid && header.replay?.of === tstamp) return path
  }

  return undefined
}
