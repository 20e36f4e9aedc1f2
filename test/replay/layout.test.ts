import { existsSync } from 'node:fs'
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
