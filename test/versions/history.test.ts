import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

import { afterEach, expect, it } from 'vitest'

import { findRepo } from '../../src/versions/find-repo.js'
import { diffVersions, listFilesAt, listSnapshots, readFileAt } from '../../src/versions/history.js'
import { ensureExcluded, snapshotSync } from '../../src/versions/snapshot.js'
import { createTempRepo } from '../helpers/git-repo.js'
import type { TempRepo } from '../helpers/git-repo.js'

let temp: TempRepo | undefined

afterEach(() => temp?.cleanup())

async function threeRuns() {
  temp = await createTempRepo({
    commit: true,
    files: { 'train.ts': 'lr = 1\n', 'util ü.ts': 'u\n' },
  })
  const repo = temp
  const info = findRepo(repo.root)!
  ensureExcluded(info, '/.flordb/')
  mkdirSync(join(repo.root, '.flordb'))
  const run = (n: number, code: string) => {
    writeFileSync(join(repo.root, 'train.ts'), code)
    writeFileSync(join(repo.root, '.flordb', 'j'), `journal ${n}`)

    return snapshotSync(info, {
      message: `run ${n}`,
      extraFiles: [{ path: `.flordb/runs/${n}.jsonl`, absPath: join(repo.root, '.flordb', 'j') }],
    })
  }

  const first = run(1, 'lr = 1\n')
  repo.git('commit', '--quiet', '--allow-empty', '-m', 'user commit between runs')
  const second = run(2, 'lr = 2\n')
  writeFileSync(join(repo.root, 'util ü.ts'), 'u2\n')
  const third = run(3, 'lr = 3\n')

  return { info, repo, first, second, third }
}

it('lists only flordb snapshots, oldest first, with their .flordb files', async () => {
  const { info, repo, first, second, third } = await threeRuns()

  const entries = await listSnapshots(info)

  expect(entries.map(({ commit }) => commit)).toEqual([first.commit, second.commit, third.commit])
  expect(entries.map(({ message }) => message)).toEqual(['run 1', 'run 2', 'run 3'])
  expect(entries[0]!.parents).toEqual([repo.git('rev-parse', 'HEAD~1')])
  expect(entries[1]!.parents).toEqual([first.commit, repo.git('rev-parse', 'HEAD')])
  expect(entries[2]!.files).toEqual(['.flordb/runs/3.jsonl'])
  expect(entries[0]!.time).toBeInstanceOf(Date)
  expect(Math.abs(entries[0]!.time.getTime() - Date.now())).toBeLessThan(60_000)
})

it('lists nothing before the first snapshot', async () => {
  temp = await createTempRepo({ commit: true })

  expect(await listSnapshots(findRepo(temp.root)!)).toEqual([])
})

it('reads files and lists trees at a snapshot', async () => {
  const { info, second } = await threeRuns()

  expect((await readFileAt(info, second.commit, 'train.ts')).toString()).toBe('lr = 2\n')
  expect((await readFileAt(info, second.commit, '.flordb/runs/2.jsonl')).toString()).toBe(
    'journal 2',
  )
  expect(await listFilesAt(info, second.commit)).toEqual([
    '.flordb/runs/2.jsonl',
    'train.ts',
    'util ü.ts',
  ])
  await expect(readFileAt(info, second.commit, 'missing.ts')).rejects.toMatchObject({
    name: 'FlorError',
    code: 'E_GIT',
  })
})

it('diffs code between snapshots, leaving out .flordb/', async () => {
  const { info, first, third } = await threeRuns()

  const diff = await diffVersions(info, first.commit, third.commit)
  const onlyTrain = await diffVersions(info, first.commit, third.commit, { paths: ['train.ts'] })

  expect(diff).toContain('--- a/train.ts\n+++ b/train.ts')
  expect(diff).toContain('-lr = 1\n+lr = 3')
  expect(diff).toContain('+++ b/util ü.ts')
  expect(diff).not.toContain('.flordb')
  expect(onlyTrain).toContain('+lr = 3')
  expect(onlyTrain).not.toContain('util')
  expect(await diffVersions(info, first.commit, first.commit)).toBe('')
})
