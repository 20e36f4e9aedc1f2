import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

import { describe, expect, it } from 'vitest'

import type { TempRepo } from '../helpers/git-repo.js'
import {
  flordbCli,
  project,
  queryRows,
  repoProject,
  runScript,
  stackTrace,
} from '../helpers/run-script.js'

const training = `import * as flor from 'flordb'

const lr = flor.arg('lr', 0.1)
for (const epoch of flor.loop('epoch', [1, 2])) flor.log('loss', lr / epoch)
`

// Everything of the user's that flordb must leave exactly as it found it.
function userState(repo: TempRepo) {
  const read = (...args: string[]) => {
    try {
      return repo.git(...args)
    } catch {
      return null
    }
  }

  return {
    branch: read('symbolic-ref', '--quiet', 'HEAD'),
    head: read('rev-parse', '--verify', '--quiet', 'HEAD'),
    index: readFileSync(join(repo.root, '.git', 'index')).toString('base64'),
    status: repo.git('status', '--porcelain=v1', '--untracked-files=all'),
    stash: repo.git('stash', 'list', '--format=%H %s'),
    refs: repo.git('for-each-ref', '--format=%(refname) %(objectname)', 'refs/heads', 'refs/tags'),
    gitignore: readFileSync(join(repo.root, '.gitignore'), 'utf8'),
    files: ['a.ts', 'b.ts', 'staged.ts', 'untracked.ts'].map((file) =>
      readFileSync(join(repo.root, file), 'utf8'),
    ),
  }
}

async function busyRepo(): Promise<TempRepo> {
  const repo = await repoProject({
    commit: true,
    files: { 'a.ts': 'a1', 'b.ts': 'b1', '.gitignore': 'node_modules/\n*.log\n' },
  })

  writeFileSync(join(repo.root, 'a.ts'), 'stashed')
  repo.git('stash', 'push', '--quiet', '-m', 'work in progress')
  writeFileSync(join(repo.root, 'b.ts'), 'b2 staged')
  writeFileSync(join(repo.root, 'staged.ts'), 'new and staged')
  repo.git('add', 'b.ts', 'staged.ts')
  writeFileSync(join(repo.root, 'b.ts'), 'b3 unstaged')
  writeFileSync(join(repo.root, 'a.ts'), 'a2 unstaged')
  writeFileSync(join(repo.root, 'untracked.ts'), 'untracked')
  writeFileSync(join(repo.root, 'train.mjs'), training)
  repo.git('status')

  return repo
}

describe('versioning of runs', () => {
  it("leaves the user's branch, HEAD, index, status, stash and files as they were", async () => {
    const repo = await busyRepo()
    const before = userState(repo)

    const run = await runScript(repo.root, 'train.mjs', training)

    expect(run.stderr).toBe('')
    expect(userState(repo)).toEqual(before)
    expect(before.stash).toContain('work in progress')

    const [recorded] = await queryRows<{ version: string }>(repo.root, 'select version from runs')
    const version = recorded!.version

    expect(repo.git('show', `${version}:b.ts`)).toBe('b3 unstaged')
    expect(repo.git('show', `${version}:untracked.ts`)).toBe('untracked')
    expect(repo.git('show', `${version}:staged.ts`)).toBe('new and staged')
    expect(repo.git('rev-parse', `${version}^@`).split('\n')).toContain(before.head)

    const unpack = await flordbCli(repo.root, 'unpack')

    expect(unpack.status).toBe(0)
    expect(userState(repo)).toEqual(before)
  })

  it('keeps .flordb out of git status through .git/info/exclude, never .gitignore', async () => {
    const repo = await repoProject({ commit: true, files: { '.gitignore': 'node_modules/\n' } })

    await runScript(repo.root, 'train.mjs', training)
    await runScript(repo.root, 'train.mjs', training)

    const exclude = readFileSync(join(repo.root, '.git', 'info', 'exclude'), 'utf8')

    expect(readFileSync(join(repo.root, '.gitignore'), 'utf8')).toBe('node_modules/\n')
    expect(exclude.split('\n').filter((line) => line === '/.flordb/')).toHaveLength(1)
    expect(repo.git('status', '--porcelain', '--untracked-files=all')).toBe('?? train.mjs')
    expect(repo.git('check-ignore', '.flordb/store.sqlite')).toBe('.flordb/store.sqlite')
  })

  it('records runs without versions outside git, after a one-line warning', async () => {
    const { root } = await project({ git: false })

    const run = await runScript(root, 'train.mjs', training)
    const stat = await flordbCli(root, 'stat')

    expect(run.status).toBe(0)
    expect(run.stderr).not.toMatch(stackTrace)
    expect(run.stderr.match(/flordb: .*/g)).toEqual([
      `flordb: ${root} is not in a git repository, so runs are recorded in ${root}/.flordb without code versions; run "git init" there to version them`,
    ])
    expect(stat.status).toBe(0)
    expect(stat.stdout).toContain('(not in git: runs are not versioned)')
    expect(await queryRows(root, 'select status, version, head, branch from runs')).toEqual([
      { status: 'committed', version: null, head: null, branch: null },
    ])
    expect(await queryRows(root, "select count(*) as n from logs where name = 'loss'")).toEqual([
      { n: 2 },
    ])
  })

  it('names the script by its path in the repository from any working directory', async () => {
    const repo = await repoProject({ commit: true })

    mkdirSync(join(repo.root, 'jobs', 'nightly'), { recursive: true })

    const run = await runScript(join(repo.root, 'jobs'), join('nightly', 'x.mjs'), training)

    expect(run.stderr).toBe('')
    expect(existsSync(join(repo.root, 'jobs', '.flordb'))).toBe(false)

    const [recorded] = await queryRows<{ filename: string; runtime: string }>(
      repo.root,
      'select filename, runtime from runs',
    )

    expect(recorded!.filename).toBe('jobs/nightly/x.mjs')
    expect(JSON.parse(recorded!.runtime)).toMatchObject({ cwd: 'jobs' })
  })

  it('versions a run on a detached HEAD and leaves HEAD detached', async () => {
    const repo = await repoProject({ commit: true, files: { 'a.ts': 'a' } })

    repo.git('commit', '--quiet', '--allow-empty', '-m', 'second')
    repo.git('checkout', '--quiet', '--detach', 'HEAD~1')

    const head = repo.git('rev-parse', 'HEAD')
    const run = await runScript(repo.root, 'train.mjs', training)

    expect(run.stderr).toBe('')
    expect(repo.git('rev-parse', 'HEAD')).toBe(head)
    expect(() => repo.git('symbolic-ref', '--quiet', 'HEAD')).toThrow()

    const [row] = await queryRows<{ version: string; head: string; branch: string | null }>(
      repo.root,
      'select version, head, branch from runs',
    )

    expect(row).toMatchObject({ head, branch: null })
    expect(repo.git('rev-parse', `${row!.version}^@`).split('\n')).toContain(head)
  })

  it('versions a run on an unborn branch and leaves it unborn', async () => {
    const repo = await repoProject({ files: { 'a.ts': 'a' } })
    const status = repo.git('status', '--porcelain')

    const run = await runScript(repo.root, 'train.mjs', training)

    expect(run.stderr).toBe('')
    expect(() => repo.git('rev-parse', '--verify', '--quiet', 'HEAD')).toThrow()
    expect(repo.git('status', '--porcelain')).toBe(`${status}\n?? train.mjs`.trim())

    const [row] = await queryRows<{ version: string; head: null; branch: string }>(
      repo.root,
      'select version, head, branch from runs',
    )

    expect(row).toMatchObject({ head: null, branch: 'main' })
    expect(repo.git('show', `${row!.version}:a.ts`)).toBe('a')
  })
})
