import { describe, expect, it } from 'vitest'

import {
  flordbCli,
  project,
  queryRows,
  repoProject,
  runScript,
  startScript,
  type RunningScript,
} from '../helpers/run-script.js'

interface RunRow {
  run_id: number
  tstamp: string
  status: string
  version: string | null
}

const runsOf = (root: string) =>
  queryRows<RunRow>(root, 'select run_id, tstamp, status, version from runs order by run_id')

const untilOutput = async (script: RunningScript, text: string): Promise<void> => {
  const deadline = Date.now() + 30_000

  while (!script.stdout().includes(text)) {
    if (Date.now() > deadline || script.child.exitCode !== null) {
      throw new Error(`the script never printed "${text}"; it printed ${script.stdout()}`)
    }

    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

// A training loop that runs until it is stopped, saying when it has logged a few steps.
const endlessTraining = `import * as flor from 'flordb'

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))
function* forever() {
  for (let i = 1; ; i++) yield i
}

flor.log('lr', 0.1)
for (const step of flor.loop('step', forever())) {
  flor.log('loss', step)
  if (step === 5) console.log('ready')
  await sleep(5)
}
`

describe('commit', () => {
  it('closes a run at each explicit commit and one at exit, each with its own tstamp', async () => {
    const { root, git } = await repoProject({ commit: true })

    const result = await runScript(
      root,
      'app.mjs',
      `import * as flor from 'flordb'

      flor.log('request', 1)
      await flor.commit()
      flor.log('request', 2)
      await flor.commit()
      await flor.commit()
      flor.log('request', 3)
      `,
    )

    expect(result.stderr).toBe('')

    const runs = await runsOf(root)

    expect(runs.map((run) => run.status)).toEqual(['committed', 'committed', 'committed'])
    expect(new Set(runs.map((run) => run.tstamp)).size).toBe(3)
    expect([...runs.map((run) => run.tstamp)].sort()).toEqual(runs.map((run) => run.tstamp))
    expect(
      await queryRows(
        root,
        'select r.tstamp, l.value from logs l join runs r using (run_id) order by l.run_id',
      ),
    ).toEqual(runs.map((run, i) => ({ tstamp: run.tstamp, value: i + 1 })))

    for (const run of runs) {
      expect(run.version).toMatch(/^[0-9a-f]{40}$/)
      expect(git('cat-file', '-t', run.version!)).toBe('commit')
    }
  })

  it('makes committed records visible to query and dataframe in the same process', async () => {
    const { root } = await project({ commit: true })

    const result = await runScript(
      root,
      'app.mjs',
      `import * as flor from 'flordb'

      const seen = async () => (await flor.query('select value from logs where name = ?', ['label'])).map((row) => row.value)
      const out = {}

      flor.log('label', 'cat')
      out.beforeCommit = await seen()
      await flor.commit()
      out.afterCommit = await seen()
      flor.log('label', 'dog')
      await flor.commit()
      out.afterSecond = await seen()
      const frame = await flor.dataframe('label')
      out.frame = frame.getColumn('label').toArray()
      out.columns = frame.columns
      console.log(JSON.stringify(out))
      `,
    )

    expect(result.stderr).toBe('')
    expect(JSON.parse(result.stdout)).toEqual({
      beforeCommit: [],
      afterCommit: ['cat'],
      afterSecond: ['cat', 'dog'],
      frame: ['cat', 'dog'],
      columns: ['projid', 'tstamp', 'filename', 'label'],
    })
  })

  it('makes what each concurrent request logged visible when its commit resolves', async () => {
    const { root } = await project({ commit: true })

    const result = await runScript(
      root,
      'app.mjs',
      `import * as flor from 'flordb'

      const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))
      const save = (label, delay) =>
        flor.iteration('request', label, async () => {
          flor.log('label', label)
          await sleep(delay)
          await flor.commit()
          const rows = await flor.query("select value from logs where name = 'label'")
          return rows.map((row) => row.value).includes(label)
        })

      console.log(JSON.stringify(await Promise.all([save('a', 5), save('b', 5), save('c', 0)])))
      `,
    )

    expect(result.stderr).toBe('')
    expect(JSON.parse(result.stdout)).toEqual([true, true, true])
  })

  it('gives distinct tstamps to processes that start in the same millisecond', async () => {
    const { root } = await project({ commit: true })
    const at = Date.now() + 1500
    const source = `import * as flor from 'flordb'

      while (Date.now() < ${at}) {}
      flor.log('started', process.pid)
      `

    const results = await Promise.all(
      Array.from({ length: 6 }, () => runScript(root, 'race.mjs', source)),
    )

    for (const result of results) expect(result.stderr).toBe('')

    const runs = await runsOf(root)

    expect(runs).toHaveLength(6)
    expect(new Set(runs.map((run) => run.tstamp)).size).toBe(6)
    expect(runs.every((run) => run.status === 'committed')).toBe(true)
  })

  it('commits at exit, also when the script calls process.exit', async () => {
    const { root } = await project({ commit: true })

    const quiet = await runScript(root, 'a.mjs', `import * as flor from 'flordb'\nflor.log('a', 1)`)
    const exits = await runScript(
      root,
      'b.mjs',
      `import * as flor from 'flordb'\nflor.log('b', 2)\nprocess.exit(0)`,
    )

    expect([quiet.status, exits.status]).toEqual([0, 0])
    expect(
      await queryRows(
        root,
        'select r.filename, r.status, l.name, l.value from runs r join logs l using (run_id) order by r.run_id',
      ),
    ).toEqual([
      { filename: 'a.mjs', status: 'committed', name: 'a', value: 1 },
      { filename: 'b.mjs', status: 'committed', name: 'b', value: 2 },
    ])
  })

  it.each(['SIGTERM', 'SIGINT', 'SIGHUP'] as const)(
    'marks a run stopped by %s interrupted, keeps its records, and dies of the signal',
    async (signal) => {
      const { root } = await project({ commit: true })
      const script = startScript(root, 'train.mjs', endlessTraining)

      await untilOutput(script, 'ready')
      script.child.kill(signal)

      const result = await script.done

      expect(result).toMatchObject({ status: null, signal })

      const runs = await runsOf(root)
      const losses = await queryRows<{ value: number }>(
        root,
        "select value from logs where name = 'loss' order by seq",
      )

      expect(runs).toEqual([expect.objectContaining({ status: 'interrupted' })])
      expect(runs[0]!.version).toMatch(/^[0-9a-f]{40}$/)
      expect(losses.length).toBeGreaterThanOrEqual(5)
      expect(losses.map((row) => row.value)).toEqual(losses.map((_, i) => i + 1))
    },
  )

  it('marks a run that throws failed and exits non-zero with the original error', async () => {
    const { root } = await project({ commit: true })

    const thrown = await runScript(
      root,
      'sync.mjs',
      `import * as flor from 'flordb'

      flor.log('before', 1)
      function train() { throw new RangeError('exploding gradient') }
      train()
      `,
    )
    const rejected = await runScript(
      root,
      'async.mjs',
      `import * as flor from 'flordb'

      flor.log('before', 2)
      await new Promise((resolve) => setTimeout(resolve, 5))
      throw new TypeError('bad batch')
      `,
    )
    const exitCode = await runScript(
      root,
      'code.mjs',
      `import * as flor from 'flordb'\nflor.log('before', 3)\nprocess.exitCode = 3`,
    )

    expect(thrown.status).toBe(1)
    expect(thrown.stderr).toContain('RangeError: exploding gradient')
    expect(thrown.stderr).toMatch(/at train \(.*sync\.mjs:\d+/)
    expect(rejected.status).toBe(1)
    expect(rejected.stderr).toContain('TypeError: bad batch')
    expect(exitCode.status).toBe(3)
    expect(
      await queryRows(
        root,
        'select r.filename, r.status, l.value from runs r join logs l using (run_id) order by l.value',
      ),
    ).toEqual([
      { filename: 'sync.mjs', status: 'failed', value: 1 },
      { filename: 'async.mjs', status: 'failed', value: 2 },
      { filename: 'code.mjs', status: 'failed', value: 3 },
    ])
  })

  it('indexes a run closed in a hurry at the next flordb command', async () => {
    const { root } = await project({ commit: true })
    const script = startScript(root, 'train.mjs', endlessTraining)

    await untilOutput(script, 'ready')
    script.child.kill('SIGTERM')
    await script.done

    const stat = await flordbCli(root, 'stat', '--format', 'json')

    expect(stat.status).toBe(0)
    expect(JSON.parse(stat.stdout)).toMatchObject({ runs: { interrupted: 1 } })
  })
})
