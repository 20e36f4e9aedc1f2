import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

const run = promisify(execFile)

/** This example's folder: what a test copies into its own repository. */
export const exampleRoot = fileURLToPath(new URL('../..', import.meta.url))

const COPIED_AWAY = new Set([
  'node_modules',
  'build',
  'samples',
  'docs',
  'test',
  'bench',
  '.flordb',
])

/**
 * A fresh git repository holding a copy of the app, so that its runs, its
 * store and its snapshots never touch the flordb repository. Its
 * node_modules links to the workspace's, where `flordb` resolves to this repo.
 */
export const createAppRepo = async (prefix: string): Promise<string> => {
  const dir = mkdtempSync(join(tmpdir(), `${prefix}-`))

  cpSync(exampleRoot, dir, {
    recursive: true,
    filter: (source) => source === exampleRoot || !COPIED_AWAY.has(basename(source)),
  })
  symlinkSync(join(exampleRoot, '..', '..', 'node_modules'), join(dir, 'node_modules'))
  writeFileSync(join(dir, '.gitignore'), 'node_modules\nbuild/\nsamples/\n')
  await git(dir, 'init', '--quiet')
  await git(dir, 'add', '--all')
  await git(
    dir,
    '-c',
    'user.name=test',
    '-c',
    'user.email=test@example.com',
    'commit',
    '-qm',
    'app',
  )

  return dir
}

export const removeAppRepo = (dir: string | undefined): void => {
  if (dir) rmSync(dir, { recursive: true, force: true })
}

const git = (dir: string, ...args: string[]) => run('git', args, { cwd: dir })

/** Runs the example's Makefile in `dir`, with tsx called directly rather than through npx. */
export const make = async (dir: string, ...targets: string[]): Promise<string> => {
  const { stdout } = await run('make', ['--no-print-directory', `TSX=${tsxBin(dir)}`, ...targets], {
    cwd: dir,
    timeout: 240_000,
    maxBuffer: 16 * 1024 * 1024,
  })

  return stdout
}

/** Runs one stage script in `dir`. */
export const stage = async (dir: string, script: string, ...kwargs: string[]): Promise<string> => {
  const { stdout } = await run(tsxBin(dir), [script, '--kwargs', ...kwargs], {
    cwd: dir,
    timeout: 240_000,
    maxBuffer: 16 * 1024 * 1024,
  })

  return stdout
}

const tsxBin = (dir: string): string => join(dir, 'node_modules', '.bin', 'tsx')

export interface RunningApp {
  readonly url: string
  stop(): Promise<void>
}

/** Starts `app.ts` on a free port and resolves with its address once it listens. */
export const startApp = (dir: string, ...kwargs: string[]): Promise<RunningApp> =>
  new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(tsxBin(dir), ['app.ts', '--kwargs', 'port=0', ...kwargs], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''

    const onData = (chunk: Buffer): void => {
      output += chunk.toString()

      const match = /pdf-parser: (http:\/\/127\.0\.0\.1:\d+)\//.exec(output)

      if (match?.[1]) {
        child.stdout?.off('data', onData)
        resolve({ url: match[1], stop: () => stopChild(child) })
      }
    }

    child.stdout?.on('data', onData)
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.once('exit', (code) => reject(new Error(`app.ts exited with ${code}:\n${output}`)))
  })

const stopChild = (child: ChildProcess): Promise<void> =>
  new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve()

    child.once('exit', () => resolve())
    child.kill('SIGTERM')
  })

/** The Chromium the tests drive: Debian's, headless, and quiet on the network. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
]
