import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

import { afterEach, describe, expect, it } from 'vitest'

import { findRepo } from '../../src/versions/find-repo.js'
import type { RepoInfo } from '../../src/versions/find-repo.js'
import { listFilesAt, readFileAt } from '../../src/versions/history.js'
import {
  ensureExcluded,
  snapshot,
  snapshotRef,
  snapshotSync,
} from '../../src/versions/snapshot.js'
import { createTempRepo } from '../helpers/git-repo.js'
import type { TempRepo } from '../helpers/git-repo.js'

let repo: TempRepo | undefined

afterEach(async () => {
  await repo?.cleanup()
  repo = undefined
})

const open = async (options: Parameters<typeof createTempRepo>[0]) => {
  repo = await createTempRepo(options)

  return { temp: repo, info: findRepo(repo.root) as RepoInfo }
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
    const journal = join(temp.root, 'journal.tmp')
    writeFileSync(journal, '{"loss":1}\n')

    const snap = snapshotSync(info, {
      message: 'run 1',
      extraFiles: [{ path: '.flordb/runs/1.jsonl', absPath: journal }],
    })

    const files = await listFilesAt(info, snap.commit)
    expect(files).toContain('train.ts')
    expect(files).toContain('new file é.ts')
    expect(files).toContain('.flordb/runs/1.jsonl')
    expect(files).not.toContain('data/big.bin')
    expect((await readFileAt(info, snap.commit, 'train.ts')).toString()).toBe('v2')
    expect((await readFileAt(info, snap.commit, '.flordb/runs/1.jsonl')).toString()).toBe(
      '{"loss":1}\n',
    )
    expect(temp.git('rev-parse', snapshotRef)).toBe(snap.commit)
    expect(temp.git('rev-parse', `${snap.commit}^@`)).toBe(info.head)
  })

  it('leaves out and reports files above the size limit', async () => {
    const { temp, info } = await open({ commit: true, files: { 'a.ts': 'a' } })
    writeFileSync(join(temp.root, 'weights bin'), Buffer.alloc(2048))
    writeFileSync(join(temp.root, 'a.ts'), 'x'.repeat(4096))

    const snap = await snapshot(info, { message: 'run', maxFileBytes: 1024 })

    expect(snap.skipped).toEqual(
      expect.arrayContaining([
        { path: 'weights bin', bytes: 2048 },
        { path: 'a.ts', bytes: 4096 },
      ]),
    )
    expect(await listFilesAt(info, snap.commit)).toEqual(['a.ts'])
    expect((await readFileAt(info, snap.commit, 'a.ts')).toString()).toBe('a')
    expect(readFileSync(join(info.commonDir, 'info', 'exclude'), 'utf8')).not.toContain('flordb')
  })
})
