import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'

export interface TempRepo {
  root: string
  git(...args: string[]): string
  cleanup(): Promise<void>
}

export interface TempRepoOptions {
  commit?: boolean
  files?: Record<string, string>
}

// Variables that a surrounding git (a hook, a test run from a rebase) would leak into ours.
const leakingVariables = [
  'GIT_DIR',
  'GIT_WORK_TREE',
  'GIT_INDEX_FILE',
  'GIT_COMMON_DIR',
  'GIT_PREFIX',
]

// A real repository in a fresh temporary folder. The identity is set in this repository's
// own config, so tests never depend on (or change) the machine's global git config.
export async function createTempRepo(options: TempRepoOptions = {}): Promise<TempRepo> {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'flordb-repo-')))
  const env = { ...process.env }

  for (const name of leakingVariables) delete env[name]

  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: root, env, encoding: 'utf8', stdio: 'pipe' }).trimEnd()

  git('init', '--quiet', '--initial-branch=main')
  git('config', 'user.name', 'Flordb Test')
  git('config', 'user.email', 'test@flordb.invalid')
  git('config', 'commit.gpgsign', 'false')

  for (const [path, content] of Object.entries(options.files ?? {})) {
    mkdirSync(dirname(join(root, path)), { recursive: true })
    writeFileSync(join(root, path), content)
  }

  if (options.commit) {
    git('add', '--all')
    git('commit', '--quiet', '--allow-empty', '-m', 'initial')
  }

  return {
    root,
    git,
    cleanup: () => rm(root, { recursive: true, force: true }),
  }
}
