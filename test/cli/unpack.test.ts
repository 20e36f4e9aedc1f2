import { rmSync } from 'node:fs'
import { join } from 'node:path'

import { describe, expect, it } from 'vitest'

import { flordbCli, queryRows, repoProject, runScript } from '../helpers/run-script.js'

// The store's contents, with runs named by tstamp rather than by their row ids.
async function dump(root: string) {
  return {
    runs: await queryRows(
      root,
      `select projid, tstamp, filename, version, head, branch, argv, runtime, status,
        started_at, ended_at from runs order by tstamp`,
    ),
    logs: await queryRows(
      root,
      `select r.tstamp, l.seq, l.ctx_id, l.name, l.vtype, l.value, typeof(l.value) as sqltype
       from logs l join runs r using (run_id) order by r.tstamp, l.seq`,
    ),
    loops: await queryRows(
      root,
      `select r.tstamp, o.ctx_id, o.parent_ctx_id, o.name, o.iteration, o.value
       from loops o join runs r using (run_id) order by r.tstamp, o.ctx_id`,
    ),
  }
}

async function repoWithRuns() {
  const repo = await repoProject({ commit: true, files: { 'README.md': 'project' } })

  await runScript(
    repo.root,
    'train.mjs',
    `import * as flor from 'flordb'

    const lr = flor.arg('lr', 0.1)
    for (const epoch of flor.loop('epoch', ['a', 'b'])) {
      for (const step of flor.loop('step', [1, 2, 3])) flor.log('loss', lr / step)
      flor.log('acc', { epoch, ok: true, when: new Date(0), big: 3n })
    }
    flor.log('done', true)
    `,
    { args: ['--kwargs', 'lr=0.5'] },
  )
  await runScript(
    repo.root,
    'app.mjs',
    `import * as flor from 'flordb'

    flor.log('label', 'cat')
    await flor.commit()
    flor.log('label', 'dog')
    `,
  )
  await runScript(
    repo.root,
    'broken.mjs',
    `import * as flor from 'flordb'\nflor.log('x', NaN)\nthrow new Error('broken')\n`,
  )

  return repo
}

describe('flordb unpack', () => {
  it('rebuilds the same runs, logs and loops once the store file, then all of .flordb, is gone', async () => {
    const { root } = await repoWithRuns()
    const before = await dump(root)

    for (const suffix of ['', '-wal', '-shm']) {
      rmSync(join(root, '.flordb', `store.sqlite${suffix}`), { force: true })
    }

    const fromJournals = await flordbCli(root, 'unpack')

    expect(fromJournals.status).toBe(0)
    expect(fromJournals.stderr).toBe('')
    expect(before.runs.map((run) => run.status)).toEqual([
      'committed',
      'committed',
      'committed',
      'failed',
    ])
    expect(await dump(root)).toEqual(before)

    rmSync(join(root, '.flordb'), { recursive: true, force: true })

    const fromGit = await flordbCli(root, 'unpack', '--format', 'json')
    const again = await flordbCli(root, 'unpack', '--format', 'json')

    expect(fromGit.stderr).toBe('')
    expect(JSON.parse(fromGit.stdout)).toMatchObject({ added: 4, journals: 4 })
    expect(JSON.parse(again.stdout)).toMatchObject({ added: 0, journals: 4 })
    expect(await dump(root)).toEqual(before)
  })
})
