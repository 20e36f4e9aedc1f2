import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { afterEach, expect, it } from 'vitest'

import { findRepo } from '../../src/versions/find-repo.js'
import { createTempRepo } from '../helpers/git-repo.js'
import type { TempRepo } from '../helpers/git-repo.js'

let temp: TempRepo | undefined

afterEach(() => temp?.cleanup())

it('describes a repository from a subfolder', async () => {
  temp = await createTempRepo({ commit: true, files: { 'src/a.ts': 'a' } })

  expect(findRepo(join(temp.root, 'src'))).toEqual({
    root: temp.root,
    mainRoot: temp.root,
    gitDir: join(temp.root, '.git'),
    commonDir: join(temp.root, '.git'),
    head: temp.git('rev-parse', 'HEAD'),
    branch: 'main',
  })
})

it('returns null outside a repository, for a missing folder and inside a bare one', () => {
  const outside = realpathSync(mkdtempSync(join(tmpdir(), 'flordb-plain-')))
  const bare = join(outside, 'bare.git')
  mkdirSync(bare)

  try {
    expect(findRepo(outside)).toBeNull()
    expect(findRepo(join(outside, 'missing'))).toBeNull()
    execFileSync('git', ['init', '--quiet', '--bare', bare])
    expect(findRepo(bare)).toBeNull()
  } finally {
    rmSync(outside, { recursive: true, force: true })
  }
})
