import { execFileSync } from 'node:child_process'
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'

import Database from 'better-sqlite3'

import { flordbCliWith, linkPackage, packageRoot, start, type ScriptResult } from './run-script.js'

/**
 * The training script of the replay tests, version 1: two nested loops over a
 * tiny deterministic model whose whole state is checkpointed. It appends a
 * line to the file named by MARKS for the prefix, each epoch, each step and
 * the suffix, so a test sees what a replay really ran.
 */
export const trainV1 = `import { appendFileSync } from 'node:fs'

import * as flor from 'flordb'

const lr = flor.arg('lr', 0.1)
const epochs = flor.arg('epochs', 3)
const steps = flor.arg('steps', 4)
const model = { w: [1, 2], seen: 0 }
const mark = (text) => process.env.MARKS && appendFileSync(process.env.MARKS, text + '\\n')
const range = (n) => Array.from({ length: n }, (_, i) => i)

mark('prefix')

flor.checkpointing({ model }, () => {
  for (const epoch of flor.loop('epoch', range(epochs))) {
    mark('epoch ' + epoch)

    for (const step of flor.loop('step', range(steps))) {
      mark('step ' + epoch + ' ' + step)
      model.w = model.w.map((w, i) => w - lr * (w - step - i))
      model.seen++
      flor.log('loss', model.w[0] ** 2 + model.w[1])
    }

    flor.log('acc', model.w[0] / (1 + model.seen))
  }
})

mark('suffix')
flor.log('final', model.w[0] + model.w[1])
`

/** Version 2: the rate decays by epoch (a new arg), the model keeps a history, acc changes. */
export const trainV2 = edited(trainV1, [
  [
    "const steps = flor.arg('steps', 4)",
    "const steps = flor.arg('steps', 4)\nconst decay = flor.arg('decay', 0)",
  ],
  ['const model = { w: [1, 2], seen: 0 }', 'const model = { w: [1, 2], seen: 0, history: [] }'],
  [
    "    mark('epoch ' + epoch)\n",
    "    mark('epoch ' + epoch)\n    const rate = lr / (1 + decay * epoch)\n",
  ],
  ['w - lr * (w - step - i)', 'w - rate * (w - step - i)'],
  [
    "    flor.log('acc', model.w[0] / (1 + model.seen))",
    "    model.history.push(model.w[0])\n    flor.log('acc', model.w[1] / (1 + model.seen))",
  ],
])

/** The runs the standard repository holds: one of version 1, one of version 2. */
export const v1Args = ['lr=0.05', 'epochs=3']
export const v2Args = ['lr=0.2', 'epochs=4', 'decay=0.5']

/** Applies text replacements, each of which must apply. */
export function edited(source: string, changes: readonly (readonly [string, string])[]): string {
  let text = source

  for (const [from, to] of changes) {
    if (!text.includes(from)) throw new Error(`the edit does not apply: ${from}`)

    text = text.replace(from, to)
  }

  return text
}

export interface GitState {
  branch: string
  head: string
  index: string
  status: string
  stashes: string
  worktrees: string
}

export interface Version {
  files: Record<string, string>
  /** Each run: the script and its command-line arguments (after `--kwargs`). */
  runs: { script: string; kwargs: readonly string[]; cwd?: string }[]
}

/** A git repository with recorded runs of several versions, for replay tests to copy. */
export class ReplayRepo {
  readonly root: string
  readonly #env: NodeJS.ProcessEnv

  constructor(root: string) {
    this.root = root
    this.#env = { ...process.env }

    for (const name of ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_COMMON_DIR']) {
      delete this.#env[name]
    }
  }

  git(...args: string[]): string {
    return execFileSync('git', args, { cwd: this.root, env: this.#env, encoding: 'utf8' }).trimEnd()
  }

  write(file: string, source: string): void {
    writeFileSync(join(this.root, file), source)
  }

  read(file: string): string {
    return readFileSync(join(this.root, file), 'utf8')
  }

  edit(file: string, changes: readonly (readonly [string, string])[]): void {
    this.write(file, edited(this.read(file), changes))
  }

  /** Runs a script of the working tree as a user would: `node` for .mjs, tsx for .ts. */
  async run(
    script: string,
    kwargs: readonly string[],
    options: { env?: Record<string, string | undefined>; cwd?: string } = {},
  ): Promise<ScriptResult> {
    const command = script.endsWith('.ts') ? [tsxCli(), script] : [script]
    const args = kwargs.length ? ['--kwargs', ...kwargs] : []
    const cwd = join(this.root, options.cwd ?? '')
    const result = await start(cwd, command, { args, env: options.env }).done

    if (result.status !== 0)
      throw new Error(`${script} failed (${result.status}): ${result.stderr}`)

    return result
  }

  /** The flordb command line in this repository, with a private temporary folder. */
  cli(
    args: readonly string[],
    env: Record<string, string | undefined> = {},
    cwd = '',
  ): Promise<ScriptResult> {
    const options = { env: { TMPDIR: this.tmp, ...env }, timeoutMs: 90_000 }

    return flordbCliWith(join(this.root, cwd), options, ...args)
  }

  /** The temporary folder the CLI is given, to check that a replay leaves nothing there. */
  get tmp(): string {
    const dir = join(this.root, '..', 'tmp')

    mkdirSync(dir, { recursive: true })

    return dir
  }

  /** Rows of a read-only query over the store. */
  query<Row = Record<string, unknown>>(sql: string, ...params: unknown[]): Row[] {
    const db = new Database(join(this.root, '.flordb', 'store.sqlite'), { readonly: true })

    try {
      return db.prepare(sql).all(...params) as Row[]
    } finally {
      db.close()
    }
  }

  /** Values of `name` by run tstamp, in loop order. */
  values(name: string): Record<string, unknown[]> {
    const rows = this.query<{ tstamp: string; value: unknown }>(
      `select r.tstamp, l.value from logs l join runs r using (run_id)
       where l.name = ? order by r.tstamp, l.seq`,
      name,
    )
    const byRun: Record<string, unknown[]> = {}

    for (const row of rows) (byRun[row.tstamp] ??= []).push(row.value)

    return byRun
  }

  count(name: string): number {
    return this.query<{ n: number }>('select count(*) as n from logs where name = ?', name)[0]!.n
  }

  /** Recorded runs, oldest first. */
  runs(): { run_id: number; tstamp: string; version: string; argv: string }[] {
    return this.query('select run_id, tstamp, version, argv from runs order by tstamp')
  }

  gitState(): GitState {
    return {
      branch: this.git('rev-parse', '--abbrev-ref', 'HEAD'),
      head: this.git('rev-parse', 'HEAD'),
      index: readFileSync(join(this.root, '.git', 'index')).toString('base64'),
      // Without optional locks, status does not refresh the index it reports on.
      status: this.git('--no-optional-locks', 'status', '--porcelain', '--untracked-files=all'),
      stashes: this.git('stash', 'list'),
      worktrees: this.git('worktree', 'list', '--porcelain'),
    }
  }

  /** A copy in a fresh folder under the same name, so that its project id stays the same. */
  copy(): ReplayRepo {
    const parent = realpathSync(mkdtempSync(join(tmpdir(), 'flordb-replay-test-')))
    const root = join(parent, basename(this.root))

    cpSync(this.root, root, { recursive: true, verbatimSymlinks: true })

    const copy = new ReplayRepo(root)

    // The copied files have new inodes and times: the index is refreshed as a user's would be.
    copy.git('update-index', '-q', '--refresh')

    return copy
  }

  /** Removes the repository and the folder it was made in. */
  cleanup(): void {
    rmSync(join(this.root, '..'), { recursive: true, force: true })
  }
}

/**
 * Builds a repository version by version: each version's files are committed,
 * then its runs are recorded; the package (its package.json and dependencies)
 * sits at the top unless `packageIn` names a folder. Checkpoints are taken at every iteration
 * (FLORDB_EPSILON), so tests can tell what a replay restored from what it ran.
 */
export async function recordedRepo(
  versions: readonly Version[],
  options: { packageIn?: string; setup?: (root: string) => void } = {},
): Promise<ReplayRepo> {
  const parent = realpathSync(mkdtempSync(join(tmpdir(), 'flordb-replay-test-')))
  const repo = new ReplayRepo(join(parent, 'project'))

  mkdirSync(repo.root)
  repo.git('init', '--quiet', '--initial-branch=main')
  repo.git('config', 'user.name', 'Flordb Test')
  repo.git('config', 'user.email', 'test@flordb.invalid')
  repo.git('config', 'commit.gpgsign', 'false')
  const packageDir = join(repo.root, options.packageIn ?? '')

  mkdirSync(packageDir, { recursive: true })
  linkPackage(packageDir)
  repo.write('.gitignore', 'node_modules/\n')
  options.setup?.(repo.root)
  writeFileSync(
    join(packageDir, 'package.json'),
    JSON.stringify({ name: 'project', private: true, type: 'module' }),
  )

  for (const [index, version] of versions.entries()) {
    for (const [file, source] of Object.entries(version.files)) repo.write(file, source)

    repo.git('add', '--all')
    repo.git('commit', '--quiet', '-m', `version ${index + 1}`)

    for (const run of version.runs) {
      await repo.run(run.script, run.kwargs, { cwd: run.cwd, env: { FLORDB_EPSILON: '1000' } })
    }
  }

  return repo
}

/** The standard repository: train.mjs, a run of version 1 and one of version 2. */
export const standardRepo = (): Promise<ReplayRepo> =>
  recordedRepo([
    { files: { 'train.mjs': trainV1 }, runs: [{ script: 'train.mjs', kwargs: v1Args }] },
    { files: { 'train.mjs': trainV2 }, runs: [{ script: 'train.mjs', kwargs: v2Args }] },
  ])

/** Lines a replayed script appended to its marker file; none when it never ran. */
export function marks(file: string): string[] {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : []
}

/** Files left in a folder. */
export const leftIn = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir) : [])

const tsxCli = () => createRequire(join(packageRoot, 'package.json')).resolve('tsx/cli')

/** A process's exit status, with its output when it is not 0, so that a failing test shows why. */
export const statusOf = (result: ScriptResult): number | string =>
  result.status === 0 ? 0 : `exit ${result.status}\n${result.stderr}\n${result.stdout}`
