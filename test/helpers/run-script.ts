import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

import { onTestFinished } from 'vitest'

import { createTempRepo, type TempRepo, type TempRepoOptions } from './git-repo.js'

/** The flordb package under test: scripts import it by name, through a symlink to here. */
export const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..')

const requireFromRoot = createRequire(join(packageRoot, 'package.json'))
const tsxCli = requireFromRoot.resolve('tsx/cli')
const cliMain = join(packageRoot, 'dist', 'cli', 'main.js')

/** better-sqlite3 as the package has it, for tests that open a store from another process. */
export const betterSqlite3Path = requireFromRoot.resolve('better-sqlite3')

export interface ScriptResult {
  status: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

export interface ScriptOptions {
  args?: readonly string[]
  env?: Readonly<Record<string, string | undefined>>
  /** The process is killed (SIGKILL) after this long; the test then fails on its status. */
  timeoutMs?: number
  /** Runs the process as another user (only root can): file permissions then apply to it. */
  user?: { uid: number; gid: number }
}

export interface RunningScript {
  child: ChildProcess
  /** Everything the process has written to stdout so far. */
  stdout(): string
  done: Promise<ScriptResult>
}

// Variables of the surrounding shell that would point git or flordb elsewhere.
const leakingVariables =
  /^(GIT_DIR|GIT_WORK_TREE|GIT_INDEX_FILE|GIT_COMMON_DIR|GIT_PREFIX|FLORDB_.*)$/

function childEnv(extra: ScriptOptions['env'] = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { NO_COLOR: '1' }

  for (const [name, value] of Object.entries(process.env)) {
    if (!leakingVariables.test(name)) env[name] = value
  }

  for (const [name, value] of Object.entries(extra)) {
    if (value === undefined) delete env[name]
    else env[name] = value
  }

  return env
}

/** Makes `import 'flordb'` in `dir` load the package under test. */
export function linkPackage(dir: string): void {
  mkdirSync(join(dir, 'node_modules'), { recursive: true })
  symlinkSync(packageRoot, join(dir, 'node_modules', 'flordb'), 'dir')
}

/** Starts a process and collects its output; `done` settles when it has exited. */
export function start(
  cwd: string,
  command: readonly string[],
  options: ScriptOptions = {},
): RunningScript {
  const child = spawn(process.execPath, [...command, ...(options.args ?? [])], {
    cwd,
    env: childEnv(options.env),
    stdio: ['ignore', 'pipe', 'pipe'],
    ...options.user,
  })
  let stdout = ''
  let stderr = ''

  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))

  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000)
  const done = new Promise<ScriptResult>((resolveResult, reject) => {
    child.on('error', reject)
    child.on('close', (status, signal) => {
      clearTimeout(timer)
      resolveResult({ status, signal, stdout, stderr })
    })
  })

  return { child, stdout: () => stdout, done }
}

/**
 * Writes a user script into `cwd` and starts it as its own process: `node`
 * for JavaScript, tsx for TypeScript, as a user would run it.
 */
export function startScript(
  cwd: string,
  file: string,
  source: string,
  options: ScriptOptions = {},
): RunningScript {
  writeFileSync(join(cwd, file), source)

  return start(cwd, /\.[cm]?ts$/.test(file) ? [tsxCli, file] : [file], options)
}

export function runScript(
  cwd: string,
  file: string,
  source: string,
  options: ScriptOptions = {},
): Promise<ScriptResult> {
  return startScript(cwd, file, source, options).done
}

/** Runs the built `flordb` command line in `cwd`. */
export function flordbCli(cwd: string, ...args: string[]): Promise<ScriptResult> {
  return start(cwd, [cliMain, ...args]).done
}

/** `flordbCli` with options: another user, more environment. */
export function flordbCliWith(
  cwd: string,
  options: ScriptOptions,
  ...args: string[]
): Promise<ScriptResult> {
  return start(cwd, [cliMain, ...args], options).done
}

/** `flordb query … --format json`, parsed; fails with the CLI's stderr when it does. */
export async function queryRows<Row = Record<string, unknown>>(
  cwd: string,
  sql: string,
  ...params: string[]
): Promise<Row[]> {
  const args = ['query', sql, '--format', 'json']
  const result = await flordbCli(cwd, ...(params.length ? [...args, '--param', ...params] : args))

  if (result.status !== 0)
    throw new Error(`flordb query failed (${result.status}): ${result.stderr}`)

  return JSON.parse(result.stdout) as Row[]
}

/** A stack trace in a process's output: what a user mistake must never print. */
export const stackTrace = /^\s+at .+[:(]/m

export interface Project extends Partial<TempRepo> {
  root: string
}

/**
 * A fresh project folder that imports flordb, removed when the test ends: a
 * git repository unless `git` is false.
 */
export async function project(options: TempRepoOptions & { git?: boolean } = {}): Promise<Project> {
  if (options.git === false) {
    const root = realpathSync(mkdtempSync(join(tmpdir(), 'flordb-plain-')))

    linkPackage(root)
    onTestFinished(() => rm(root, { recursive: true, force: true }))

    return { root }
  }

  const repo = await createTempRepo(options)

  linkPackage(repo.root)
  onTestFinished(repo.cleanup)

  return repo
}

/** A project that is a git repository, with its `git` runner. */
export const repoProject = (options: TempRepoOptions = {}): Promise<TempRepo> =>
  project(options) as Promise<TempRepo>
