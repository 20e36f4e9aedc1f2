import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { stackTrace } from '../helpers/run-script.js'
import {
  standardRepo,
  trainV1,
  trainV2,
  statusOf,
  type ReplayRepo,
} from '../helpers/replay-repo.js'

interface LoggedAt {
  version: string
  file: string
  line: number
  statement: string
  runs: string[]
}

interface RunDiff {
  from: { tstamp: string; filename: string; version: string }
  to: { tstamp: string; filename: string; version: string }
  args: { name: string; from: unknown; to: unknown }[]
  code: string
}

const lineOf = (source: string, text: string) =>
  source.split('\n').findIndex((line) => line.includes(text)) + 1

/** A tstamp as the dataframe's table prints it: `2026-12-03 16:44:14.186 UTC`. */
const printed = (tstamp: string) => `${tstamp.replace('T', ' ').replace('Z', '')} UTC`

let repo: ReplayRepo
let runs: { tstamp: string; version: string }[]

beforeAll(async () => {
  repo = await standardRepo()
  runs = repo.runs()
  repo.edit('train.mjs', [
    [
      '    model.history.push',
      "    flor.log('wsum', model.w[0] + model.w[1])\n    model.history.push",
    ],
  ])

  const replayed = await repo.cli(['replay', 'wsum', '--yes'])

  if (replayed.status !== 0) throw new Error(`the replay failed: ${replayed.stderr}`)
})

afterAll(() => repo?.cleanup())

describe('flordb where', () => {
  it("lists the current location and each version's, with the runs that hold values", async () => {
    const result = await repo.cli(['where', 'acc', '--format', 'json'])

    expect(statusOf(result)).toBe(0)
    expect(JSON.parse(result.stdout) as LoggedAt[]).toEqual([
      {
        version: 'current',
        file: 'train.mjs',
        line: lineOf(repo.read('train.mjs'), "flor.log('acc'"),
        statement: "flor.log('acc', model.w[1] / (1 + model.seen))",
        runs: [],
      },
      {
        version: runs[0]!.version,
        file: 'train.mjs',
        line: lineOf(trainV1, "flor.log('acc'"),
        statement: "flor.log('acc', model.w[0] / (1 + model.seen))",
        runs: [runs[0]!.tstamp],
      },
      {
        version: runs[1]!.version,
        file: 'train.mjs',
        line: lineOf(trainV2, "flor.log('acc'"),
        statement: "flor.log('acc', model.w[1] / (1 + model.seen))",
        runs: [runs[1]!.tstamp],
      },
    ])
  })

  it('lists the versions whose values a replay wrote', async () => {
    const result = await repo.cli(['where', 'wsum', '--format', 'json'])
    const found = JSON.parse(result.stdout) as LoggedAt[]

    expect(
      found.map(({ version, line, statement, runs }) => ({ version, line, statement, runs })),
    ).toEqual([
      {
        version: 'current',
        line: lineOf(repo.read('train.mjs'), "flor.log('wsum'"),
        statement: "flor.log('wsum', model.w[0] + model.w[1])",
        runs: [],
      },
      { version: runs[0]!.version, line: 0, statement: '(replayed)', runs: [runs[0]!.tstamp] },
      { version: runs[1]!.version, line: 0, statement: '(replayed)', runs: [runs[1]!.tstamp] },
    ])
  })

  it('prints the same as a table', async () => {
    const result = await repo.cli(['where', 'acc'])

    expect(statusOf(result)).toBe(0)
    expect(result.stdout).toMatch(/current +┆ train\.mjs +┆ \d+ /)
    expect(result.stdout).toContain(runs[0]!.version.slice(0, 10))
    expect(result.stdout).toContain(runs[1]!.version.slice(0, 10))
  })
})

describe('flordb diff', () => {
  it('shows the changed args and the code diff between two runs named as printed', async () => {
    const [v1, v2] = runs as [(typeof runs)[0], (typeof runs)[0]]

    const result = await repo.cli(['diff', printed(v1.tstamp), v2.tstamp, '--format', 'json'])
    const diff = JSON.parse(result.stdout) as RunDiff

    expect(statusOf(result)).toBe(0)
    expect(diff.from).toEqual({ tstamp: v1.tstamp, filename: 'train.mjs', version: v1.version })
    expect(diff.to).toEqual({ tstamp: v2.tstamp, filename: 'train.mjs', version: v2.version })
    expect(diff.args.filter((arg) => arg.name !== 'final')).toEqual([
      { name: 'lr', from: 0.05, to: 0.2 },
      { name: 'epochs', from: 3, to: 4 },
      { name: 'decay', from: null, to: 0.5 },
    ])
    expect(diff.code).toContain('--- a/train.mjs\n+++ b/train.mjs')
    expect(diff.code).toContain("+const decay = flor.arg('decay', 0)")
    expect(diff.code).toContain('-      model.w = model.w.map((w, i) => w - lr * (w - step - i))')
    expect(diff.code).toContain('+      model.w = model.w.map((w, i) => w - rate * (w - step - i))')
    expect(diff.code).not.toContain('.flordb')
  })

  it.each([
    ['as the table prints them', printed],
    ['without the zone', (tstamp: string) => tstamp.replace('T', ' ').replace('Z', '')],
    ['as stored', (tstamp: string) => tstamp],
    ['as CSV writes them', (tstamp: string) => tstamp.replace('Z', '+0000')],
  ])('names runs by tstamp %s', async (_, form) => {
    const [v1, v2] = runs as [(typeof runs)[0], (typeof runs)[0]]

    const result = await repo.cli(['diff', form(v1.tstamp), form(v2.tstamp)])

    expect(result.stderr).toBe('')
    expect(result.stdout).toContain(`from ${v1.tstamp}  train.mjs  ${v1.version.slice(0, 10)}`)
    expect(result.stdout).toContain(`to   ${v2.tstamp}  train.mjs  ${v2.version.slice(0, 10)}`)
    expect(result.stdout).toContain('  lr: 0.05 -> 0.2')
    expect(result.stdout).toContain("+const decay = flor.arg('decay', 0)")
  })

  it('says a run is the same as itself', async () => {
    const result = await repo.cli(['diff', runs[0]!.tstamp, runs[0]!.tstamp])

    expect(result.stdout).toContain('run-level values: the same')
    expect(result.stdout).toContain('code: the same')
  })

  it('asks for more of a tstamp that names several runs, with exit code 8', async () => {
    const result = await repo.cli(['diff', runs[0]!.tstamp.slice(0, 4), runs[1]!.tstamp])

    expect(result.status).toBe(8)
    expect(result.stderr).toContain(`names several runs (${runs[0]!.tstamp}, ${runs[1]!.tstamp})`)
    expect(result.stderr).not.toMatch(stackTrace)
  })

  it('says which run does not exist, with exit code 8', async () => {
    const result = await repo.cli(['diff', '1999-01-01 00:00:00.000', runs[1]!.tstamp])

    expect(result.status).toBe(8)
    expect(result.stderr).toBe('flordb: no run has the tstamp 1999-01-01 00:00:00.000\n')
  })
})

describe('flordb where, for a name nothing logs', () => {
  it('says so in one line and exits 0', async () => {
    const result = await repo.cli(['where', 'never_logged'])

    expect(statusOf(result)).toBe(0)
    expect(result.stdout.trim()).toBe(
      'nothing logs "never_logged", in the current code or in a recorded version',
    )
  })
})
