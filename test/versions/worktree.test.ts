import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

import { afterEach, expect, it } from 'vitest'

import { findRepo } from '../../src/versions/find-repo.js'
import { snapshotSync } from '../../src/versions/snapshot.js'
import { addWorktree, removeWorktree } from '../../src/versions/worktree.js'
import { createTempRepo } from '../helpers/git-repo.js'
import type { TempRepo } from '../helpers/git-repo.js'

let temp: TempRepo | undefined

afterEach(() => temp?.cleanup())

it('materialises a snapshot in a separate worktree and removes it, twice safely', async () => {
  temp = await createTempRepo({
    commit: true,
    files: { 'train.ts': 'old', '.gitignore': '.flordb/' },
  })
  writeFileSync(join(temp.root, 'train.ts'), 'snapshotted')
  mkdirSync(join(temp.root, '.flordb'))
  writeFileSync(join(temp.root, '.flordb', 'j.jsonl'), 'journal')
  const info = findRepo(temp.root)!
  const snap = snapshotSync(info, {
    message: 'run',
    extraFiles: [{ path: '.flordb/j.jsonl', absPath: join(temp.root, '.flordb', 'j.jsonl') }],
  })
  writeFileSync(join(temp.root, 'train.ts'), 'edited since')
  // A hook that would scribble on the user's tree if it ran.
  writeFileSync(join(info.commonDir, 'hooks', 'post-checkout'), '#!/bin/sh\necho hook > hooked\n', {
    mode: 0o755,
  })
  const status = temp.git('status', '--porcelain')
  const dir = join(temp.root, '.flordb', 'replay', 'v 1')

  await addWorktree(info, snap.commit, dir)

  expect(readFileSync(join(dir, 'train.ts'), 'utf8')).toBe('snapshotted')
  expect(readFileSync(join(dir, '.flordb', 'j.jsonl'), 'utf8')).toBe('journal')
  expect(existsSync(join(dir, 'hooked'))).toBe(false)
  expect(readFileSync(join(temp.root, 'train.ts'), 'utf8')).toBe('edited since')
  expect(temp.git('status', '--porcelain')).toBe(status)
  expect(temp.git('symbolic-ref', '--short', 'HEAD')).toBe('main')
  expect(temp.git('worktree', 'list', '--porcelain')).toContain(
    `worktree ${dir}\nHEAD ${snap.commit}\ndetached`,
  )

  await removeWorktree(info, dir)
  await removeWorktree(info, dir)

  expect(existsSync(dir)).toBe(false)
  expect(temp.git('worktree', 'list', '--porcelain')).not.toContain(dir)
  expect(temp.git('status', '--porcelain')).toBe(status)
})

it('cleans up a worktree whose folder git no longer knows about', async () => {
  temp = await createTempRepo({ commit: true, files: { 'a.ts': 'a' } })
  const info = findRepo(temp.root)!
  const dir = `${temp.root}-replay`
  await addWorktree(info, info.head!, dir)
  temp.git('worktree', 'prune')
  writeFileSync(join(dir, 'untracked.ts'), 'x')

  await removeWorktree(info, dir)

  expect(existsSync(dir)).toBe(false)
  expect(temp.git('worktree', 'list')).not.toContain(dir)
})

it('refuses to remove the user work tree', async () => {
  temp = await createTempRepo({ commit: true, files: { 'a.ts': 'a' } })
  const info = findRepo(temp.root)!

  await expect(removeWorktree(info, temp.root)).rejects.toThrow(/user's work tree/)
  await expect(removeWorktree(info, join(temp.root, '..'))).rejects.toThrow(/user's work tree/)
  expect(readFileSync(join(temp.root, 'a.ts'), 'utf8')).toBe('a')
})
