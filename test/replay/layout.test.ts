import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { recordedRepo, trainV1, v1Args, statusOf, type ReplayRepo } from '../helpers/replay-repo.js'

describe('a package in a subfolder of the repository', () => {
  let repo: ReplayRepo

  beforeAll(async () => {
    // Only ml/ has dependencies; the script runs from there, as `cd ml && node train.mjs`.
    repo = await recordedRepo(
      [
        {
          files: { 'ml/train.mjs': trainV1 },
          runs: [{ script: 'train.mjs', kwargs: v1Args, cwd: 'ml' }],
        },
      ],
      { packageIn: 'ml' },
    )
    repo.edit('ml/train.mjs', [
      ["    flor.log('acc'", "    flor.log('wsum', model.w[0] + model.w[1])\n    flor.log('acc'"],
    ])
  })

  afterAll(() => repo?.cleanup())

  it('replays with the dependencies of that folder, from where the run started', async () => {
    expect(existsSync(join(repo.root, 'node_modules'))).toBe(false)

    const result = await repo.cli(['replay', 'wsum', '--yes'], {}, 'ml')

    expect(result.stdout).not.toContain('FAILED')
    expect(statusOf(result)).toBe(0)
    const [run] = repo.runs()
    const final = repo.values('final')[run!.tstamp]![0]

    // After the last epoch, w[0] + w[1] is what the run logged as final.
    expect(repo.values('wsum')[run!.tstamp]).toEqual([
      expect.any(Number),
      expect.any(Number),
      final,
    ])
  })
})

describe('data that git does not version', () => {
  let repo: ReplayRepo

  beforeAll(async () => {
    const reader = `import { readFileSync } from 'node:fs'

import * as flor from 'flordb'

const rows = readFileSync('data/rows.txt', 'utf8').trim().split('\\n').map(Number)

for (const row of flor.loop('row', rows)) {
  flor.log('value', row * 2)
}
`

    repo = await recordedRepo(
      [{ files: { 'read.mjs': reader }, runs: [{ script: 'read.mjs', kwargs: [] }] }],
      {
        setup: (root) => {
          mkdirSync(join(root, 'data'))
          writeFileSync(join(root, 'data', 'rows.txt'), '1\n2\n3\n')
          appendFileSync(join(root, '.gitignore'), 'data/\n')
        },
      },
    )
    repo.edit('read.mjs', [
      ["  flor.log('value'", "  flor.log('square', row * row)\n  flor.log('value'"],
    ])
  })

  afterAll(() => repo?.cleanup())

  it('is missing from a replay unless linked, and read through the link when it is', async () => {
    const unlinked = await repo.cli(['replay', 'square', '--yes'])

    expect(unlinked.status).toBe(7)
    expect(unlinked.stdout).toContain('data/rows.txt')

    const linked = await repo.cli(['replay', 'square', '--yes', '--link', 'data'])

    expect(statusOf(linked)).toBe(0)
    expect(Object.values(repo.values('square'))).toEqual([[1, 4, 9]])
    expect(readFileSync(join(repo.root, 'data', 'rows.txt'), 'utf8')).toBe('1\n2\n3\n')
  })
})
