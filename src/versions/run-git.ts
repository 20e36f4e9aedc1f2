import { spawn, spawnSync } from 'node:child_process'

import { FlorError } from '../errors.js'

export interface GitCommand {
  readonly args: readonly string[]
  readonly cwd: string
  readonly env?: Readonly<Record<string, string>>
  readonly input?: string | Buffer
  // Exit codes that answer a question ("no such ref") instead of signalling a failure.
  readonly okCodes?: readonly number[]
}

export interface GitResult {
  readonly status: number
  readonly stdout: Buffer
  readonly stderr: string
}

// Variables that would point git at another repository or index than the one we name,
// e.g. when flordb runs inside a git hook.
const inheritedRepoVariables = [
  'GIT_DIR',
  'GIT_WORK_TREE',
  'GIT_INDEX_FILE',
  'GIT_COMMON_DIR',
  'GIT_OBJECT_DIRECTORY',
  'GIT_ALTERNATE_OBJECT_DIRECTORIES',
  'GIT_NAMESPACE',
  'GIT_PREFIX',
]

export function gitEnv(extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env }

  for (const name of inheritedRepoVariables) delete env[name]

  // Read-only commands must not refresh the user's index behind their back.
  env.GIT_OPTIONAL_LOCKS = '0'
  env.GIT_TERMINAL_PROMPT = '0'

  return { ...env, ...extra }
}

export function runGitSync(command: GitCommand): GitResult {
  const result = spawnSync('git', command.args, {
    cwd: command.cwd,
    env: gitEnv(command.env),
    input: command.input,
    maxBuffer: 2 ** 31 - 1,
    windowsHide: true,
  })

  if (result.error) throw spawnFailure(command, result.error)

  return check(command, {
    status: result.status ?? -1,
    stdout: result.stdout,
    stderr: result.stderr.toString('utf8'),
  })
}

export function runGit(command: GitCommand): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', command.args, {
      cwd: command.cwd,
      env: gitEnv(command.env),
      stdio: ['pipe', 'pipe', 'pipe'],
      windowsHide: true,
    })
    const stdout: Buffer[] = []
    const stderr: Buffer[] = []

    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk))
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk))
    child.on('error', (error) => reject(spawnFailure(command, error)))
    child.on('close', (status) => {
      try {
        resolve(
          check(command, {
            status: status ?? -1,
            stdout: Buffer.concat(stdout),
            stderr: Buffer.concat(stderr).toString('utf8'),
          }),
        )
      } catch (error) {
        reject(error)
      }
    })

    // git may exit before reading all of its input (e.g. on a bad argument); that is
    // reported through the exit status, not as a broken pipe.
    child.stdin.on('error', () => {})
    child.stdin.end(command.input)
  })
}

export function stdoutText(result: GitResult): string {
  return result.stdout.toString('utf8').trim()
}

function check(command: GitCommand, result: GitResult): GitResult {
  if (result.status === 0 || command.okCodes?.includes(result.status)) return result

  const detail = result.stderr.trim() || `exit status ${result.status}`

  throw new FlorError('E_GIT', `git ${command.args.join(' ')} failed in ${command.cwd}: ${detail}`)
}

function spawnFailure(command: GitCommand, error: NodeJS.ErrnoException): FlorError {
  // Node reports a missing working folder with the same code as a missing program.
  const reason =
    error.code === 'ENOENT'
      ? `git is not installed (or not on PATH), or ${command.cwd} does not exist`
      : error.message

  return new FlorError('E_GIT', `could not run git: ${reason}`, { cause: error })
}
