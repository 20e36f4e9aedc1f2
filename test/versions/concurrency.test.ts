import { execFile } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

import { afterEach, expect, it } from 'vitest'

import { findRepo } from '../../src/versions/find-repo.js'
import { listSnapshots } from '../../src/versions/history.js'
import { snapshot, snapshotRef } from '../../src/versions/snapshot.js'
import { createTempRepo } from '../helpers/git-repo.js'
import type { TempRepo } from '../helpers/git-repo.js'

const run = promisify(execFile)
const child = fileURLToPath(new URL('./fixtures/take-snapshot.ts', import.meta.url))

let temp: TempRepo | undefined

afterEach(() => temp?.cleanup())

it('keeps every snapshot when separate processes and promises race for the ref', async () => {
  temp = await createTempRepo({ commit: true, files: { 'train.ts': 'v1' } })
  writeFileSync(join(temp.root, 'train.ts'), 'v2')
  const info = findRepo(temp.root)!
  const root = temp.root

  const commits = await Promise.all([
    ...Array.from({ length: 5 }, (_, i) =>
      run(process.execPath, ['--import', 'tsx', child, root, `process ${i}`]).then(
        ({ stdout }) => stdout,
      ),
    ),
    ...Array.from({ length: 5 }, (_, i) =>
      snapshot(info, { message: `promise ${i}` }).then(({ commit }) => commit),
    ),
  ])

  const reachable = temp.git('rev-list', snapshotRef).split('\n')
  expect(new Set(commits).size).toBe(10)
  expect(reachable).toEqual(expect.arrayContaining(commits))
  expect((await listSnapshots(info)).map(({ commit }) => commit).sort()).toEqual(commits.sort())
  expect(temp.git('status', '--porcelain')).toBe(' M train.ts')
})
