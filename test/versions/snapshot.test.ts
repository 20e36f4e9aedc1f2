import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { join } from 'node:path'

import { afterEach, describe, expect, it } from 'vitest'

import { findRepo } from '../../src/versions/find-repo.js'
import type { RepoInfo } from '../../src/versions/find-repo.js'
import { listFilesAt, readFileAt } from '../../src/versions/history.js'
import { ensureExcluded, snapshot, snapshotRef, snapshotSync } from '../../src/versions/snapshot.js'
import { createTempRepo } from '../helpers/git-repo.js'
import type { TempRepo, TempRepoOptions } from '../helpers/git-repo.js'

const cleanups: (() => Promise<void>)[] = []

afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()))
})

async function open(options: TempRepoOptions): Promise<{ temp: TempRepo; info: RepoInfo }> {
  const temp = await createTempRepo(options)

  cleanups.push(temp.cleanup)

  return { temp, info: findRepo(temp.root)! }
}

// Everything of the user's that a snapshot must leave exactly as it found it.
function userState(temp: TempRepo, gitDir = join(temp.root, '.git')) {
  const index = join(gitDir, 'index')
  const read = (...args: string[]) => {
    try {
      return temp.git(...args)
    } catch {
      return null
    }
  }

  return {
    branch: read('symbolic-ref', '--quiet', 'HEAD'),
    head: read('rev-parse', '--verify', '--quiet', 'HEAD'),
    index: readFileSync(index, { flag: 'r' }).toString('base64'),
    indexMtime: statSync(index).mtimeMs,
    status: temp.git('--no-optional-locks', 'status', '--porcelain=v1', '--untracked-files=all'),
    stash: temp.git('stash', 'list', '--format=%H %s'),
    refs: temp.git('for-each-ref', '--format=%(refname) %(objectname)', 'refs/heads', 'refs/tags'),
  }
}

describe('snapshot', () => {
  it('holds modified and untracked files and the extra file, but not ignored ones', async () => {
    const { temp, info } = await open({
      commit: true,
      files: { 'train.ts': 'v1', '.gitignore': 'data/\n', 'data/big.bin': 'ignored' },
    })
    ensureExcluded(info, '/.flordb/')
    writeFileSync(join(temp.root, 'train.ts'), 'v2')
    writeFileSync(join(temp.root, 'new file é.ts'), 'untracked')
    const journal = join(temp.root, '.flordb', 'journal.jsonl')
    mkdirSync(join(temp.root, '.flordb'))
    writeFileSync(journal, '{"loss":1}\n')

    const snap = snapshotSync(info, {
      message: 'run 1',
      extraFiles: [{ path: '.flordb/runs/1.jsonl', absPath: journal }],
    })

    const files = await listFilesAt(info, snap.commit)
    expect(files.sort()).toEqual([
      '.flordb/runs/1.jsonl',
      '.gitignore',
      'new file é.ts',
      'train.ts',
    ])
    expect((await readFileAt(info, snap.commit, 'train.ts')).toString()).toBe('v2')
    expect((await readFileAt(info, snap.commit, '.flordb/runs/1.jsonl')).toString()).toBe(
      '{"loss":1}\n',
    )
    expect(temp.git('rev-parse', snapshotRef)).toBe(snap.commit)
    expect(temp.git('rev-parse', `${snap.commit}^@`)).toBe(info.head)
    expect(temp.git('log', '-1', '--format=%B', snap.commit)).toContain('Flordb-Snapshot: 1')
  })

  it('leaves out and reports untracked and modified files above the size limit', async () => {
    const { temp, info } = await open({ commit: true, files: { 'a.ts': 'a' } })
    writeFileSync(join(temp.root, 'weights bin'), Buffer.alloc(2048))
    writeFileSync(join(temp.root, 'a.ts'), 'x'.repeat(4096))
    writeFileSync(join(temp.root, 'small.ts'), 'ok')

    const snap = await snapshot(info, { message: 'run', maxFileBytes: 1024 })

    expect([...snap.skipped].sort((x, y) => x.path.localeCompare(y.path))).toEqual([
      { path: 'a.ts', bytes: 4096 },
      { path: 'weights bin', bytes: 2048 },
    ])
    expect(await listFilesAt(info, snap.commit)).toEqual(['a.ts', 'small.ts'])
    // The committed version stays; the oversized edit is what is left out.
    expect((await readFileAt(info, snap.commit, 'a.ts')).toString()).toBe('a')
    expect(temp.git('status', '--porcelain')).toBe(' M a.ts\n?? small.ts\n?? "weights bin"')
  })

  it.each([
    ['synchronous', snapshotSync],
    ['asynchronous', snapshot],
  ] as const)(
    'leaves the user branch, HEAD, index, status and stash untouched (%s)',
    async (_, take) => {
      const { temp, info } = await open({
        commit: true,
        files: { 'a.ts': 'a1', 'b.ts': 'b1', 'sub dir/ü.ts': 'u1' },
      })
      writeFileSync(join(temp.root, 'a.ts'), 'stashed')
      temp.git('stash', 'push', '--quiet', '-m', 'work in progress')
      writeFileSync(join(temp.root, 'b.ts'), 'b2 staged')
      writeFileSync(join(temp.root, 'staged new.ts'), 'new')
      temp.git('add', 'b.ts', 'staged new.ts')
      writeFileSync(join(temp.root, 'b.ts'), 'b3 unstaged')
      writeFileSync(join(temp.root, 'a.ts'), 'a2 unstaged')
      writeFileSync(join(temp.root, 'untracked.ts'), 'u')
      temp.git('status')
      const before = userState(temp)

      const snap = await take(info, { message: 'run' })

      expect(userState(temp)).toEqual(before)
      expect(before.stash).toContain('work in progress')
      expect(readFileSync(join(temp.root, 'b.ts'), 'utf8')).toBe('b3 unstaged')
      const contents = async (path: string) =>
        (await readFileAt(info, snap.commit, path)).toString()
      expect(await contents('a.ts')).toBe('a2 unstaged')
      expect(await contents('b.ts')).toBe('b3 unstaged')
      expect(await contents('staged new.ts')).toBe('new')
      expect(await contents('untracked.ts')).toBe('u')
      expect(await contents('sub dir/ü.ts')).toBe('u1')
    },
  )

  it('works on a detached HEAD and keeps it detached', async () => {
    const { temp } = await open({ commit: true, files: { 'a.ts': 'a' } })
    temp.git('commit', '--quiet', '--allow-empty', '-m', 'second')
    temp.git('checkout', '--quiet', '--detach', 'HEAD~1')
    const info = findRepo(temp.root)!
    const before = userState(temp)

    const snap = snapshotSync(info, { message: 'detached run' })

    expect(info.branch).toBeNull()
    expect(userState(temp)).toEqual(before)
    expect(temp.git('rev-parse', `${snap.commit}^@`)).toBe(temp.git('rev-parse', 'HEAD'))
  })

  it('works on an unborn branch without an index and leaves it unborn', async () => {
    const { temp, info } = await open({ files: { 'a.ts': 'a' } })
    const status = temp.git('status', '--porcelain')

    const first = await snapshot(info, { message: 'first' })
    const second = snapshotSync(info, { message: 'second' })

    expect(info).toMatchObject({ head: null, branch: 'main' })
    expect(temp.git('rev-list', '--parents', '-n', '1', first.commit)).toBe(first.commit)
    expect(temp.git('rev-parse', `${second.commit}^@`)).toBe(first.commit)
    expect(await listFilesAt(info, second.commit)).toEqual(['a.ts'])
    expect(() => temp.git('rev-parse', '--verify', '--quiet', 'HEAD')).toThrow()
    expect(temp.git('status', '--porcelain')).toBe(status)
  })

  it('works on an unborn branch with staged files', async () => {
    const { temp, info } = await open({ files: { 'a.ts': 'a', 'b.ts': 'b' } })
    temp.git('add', 'a.ts')
    const before = userState(temp)

    const snap = snapshotSync(info, { message: 'run' })

    expect(userState(temp)).toEqual(before)
    expect(await listFilesAt(info, snap.commit)).toEqual(['a.ts', 'b.ts'])
  })

  it('snapshots inside a linked worktree onto the shared ref', async () => {
    const { temp } = await open({ commit: true, files: { 'a.ts': 'main' } })
    const worktree = `${temp.root}-wt`
    cleanups.push(() => rm(worktree, { recursive: true, force: true }))
    temp.git('worktree', 'add', '--quiet', '-b', 'feature', worktree)
    const wt = {
      ...temp,
      root: worktree,
      git: (...args: string[]) => temp.git('-C', worktree, ...args),
    }
    wt.git('commit', '--quiet', '--allow-empty', '-m', 'on feature')
    writeFileSync(join(worktree, 'a.ts'), 'changed in worktree')
    const info = findRepo(worktree)!
    const before = userState(wt, info.gitDir)
    const mainBefore = userState(temp)

    const snap = snapshotSync(info, { message: 'worktree run' })

    expect(info).toMatchObject({
      root: worktree,
      mainRoot: temp.root,
      commonDir: join(temp.root, '.git'),
      branch: 'feature',
    })
    expect(info.gitDir).not.toBe(info.commonDir)
    expect(userState(wt, info.gitDir)).toEqual(before)
    expect(userState(temp)).toEqual(mainBefore)
    expect(temp.git('rev-parse', snapshotRef)).toBe(snap.commit)
    expect(temp.git('rev-parse', `${snap.commit}^@`)).toBe(wt.git('rev-parse', 'HEAD'))
    expect((await readFileAt(info, snap.commit, 'a.ts')).toString()).toBe('changed in worktree')
  })

  it('falls back to a flordb identity without writing any config', async () => {
    const { temp, info } = await open({ commit: true, files: { 'a.ts': 'a' } })
    temp.git('config', '--unset', 'user.name')
    temp.git('config', '--unset', 'user.email')
    temp.git('config', 'user.useConfigOnly', 'true')
    const config = readFileSync(join(temp.root, '.git', 'config'), 'utf8')
    const saved = { ...process.env }
    Object.assign(process.env, { GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' })
    for (const name of [
      'GIT_AUTHOR_NAME',
      'GIT_AUTHOR_EMAIL',
      'GIT_COMMITTER_NAME',
      'GIT_COMMITTER_EMAIL',
      'EMAIL',
    ]) {
      delete process.env[name]
    }

    try {
      const snap = await snapshot(info, { message: 'anonymous run' })

      expect(temp.git('log', '-1', '--format=%an <%ae>|%cn <%ce>', snap.commit)).toBe(
        'flordb <flordb@localhost>|flordb <flordb@localhost>',
      )
    } finally {
      process.env = saved
    }
    expect(readFileSync(join(temp.root, '.git', 'config'), 'utf8')).toBe(config)
  })

  it('uses the configured identity when there is one', async () => {
    const { temp, info } = await open({ commit: true })

    const snap = snapshotSync(info, { message: 'run' })

    expect(temp.git('log', '-1', '--format=%an <%ae>', snap.commit)).toBe(
      'Flordb Test <test@flordb.invalid>',
    )
  })
})

describe('ensureExcluded', () => {
  it('adds the pattern to info/exclude once and never to .gitignore', async () => {
    const { temp, info } = await open({ commit: true, files: { '.gitignore': 'node_modules/' } })
    const exclude = join(info.commonDir, 'info', 'exclude')
    writeFileSync(exclude, '# mine\n*.swp')

    ensureExcluded(info, '/.flordb/')
    ensureExcluded(info, '/.flordb/')

    expect(readFileSync(exclude, 'utf8')).toBe('# mine\n*.swp\n/.flordb/\n')
    expect(readFileSync(join(temp.root, '.gitignore'), 'utf8')).toBe('node_modules/')
    mkdirSync(join(temp.root, '.flordb'))
    writeFileSync(join(temp.root, '.flordb', 'store.db'), '')
    expect(temp.git('status', '--porcelain')).toBe('')
  })
})
