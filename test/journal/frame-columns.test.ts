import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { afterEach, beforeEach, describe, expect, it } from 'vitest'

import { buildDataframe } from '../../src/frame/dataframe.js'
import { LoopColumns, type LoopColumnsRow } from '../../src/frame/loop-columns.js'
import { decodeStored, NameColumns, type NameColumnsRow } from '../../src/frame/name-columns.js'
import { ingestJournal } from '../../src/journal/ingest-journal.js'
import type { JournalEntry } from '../../src/journal/journal-entry.js'
import type { JournalContents } from '../../src/journal/read-journal.js'
import type { Backend, SqlValue } from '../../src/store/backend.js'
import { openBackend } from '../../src/store/open-backend.js'

type Context = Extract<JournalEntry, { 0: 'c' }>
type Log = Extract<JournalEntry, { 0: 'l' }>

const tstamp = '2024-04-11T09:07:54.000Z'

function journal(
  contexts: Context[],
  logs: Log[],
  replay?: { from: string; names: string[] },
): JournalContents {
  return {
    header: {
      projid: 'pdf_parser',
      tstamp: replay ? `${tstamp}-replay-${Math.random()}` : tstamp,
      filename: 'train.ts',
      argv: [],
      runtime: {
        node: 'v20',
        execPath: 'node',
        execArgv: [],
        cwd: '',
        platform: 'linux',
        hostname: 'test',
        pid: 1,
      },
      head: null,
      branch: null,
      startedAt: tstamp,
      ...(replay ? { replay: { of: tstamp, from: replay.from, names: replay.names } } : {}),
    },
    contexts,
    logs,
    shadows: [],
    checkpoints: [],
    timings: [],
    status: 'committed',
    endedAt: tstamp,
    version: null,
    ended: true,
  }
}

/** Every kind of value the dataframe types, and doubles from random bit patterns. */
function variedLogs(): Log[] {
  const words = new Uint32Array(400)
  const doubles = new Float64Array(words.buffer)

  for (let i = 0; i < words.length; i++) words[i] = Math.floor(Math.random() * 2 ** 32)

  const numbers: unknown[] = [...doubles].filter(Number.isFinite)

  numbers.push(0, -0, 5e-324, -5e-324, 2.2250738585072014e-308, Number.MAX_VALUE, -Number.MAX_VALUE)
  numbers.push(2 ** 53 + 2, 2 ** 60, -100, 0.1, 1e-291, 1e291, 'NaN', 'Infinity', '-Infinity')

  return [
    ['l', null, 'lr', 'number', 0.001],
    ...numbers.map((value, i): Log => ['l', i % 2 === 0 ? 1 : 3, 'x', 'number', value]),
    ['l', 2, 'flag', 'boolean', true],
    ['l', 4, 'flag', 'boolean', false],
    ['l', 2, 'mixed', 'string', 'ocr "quoted" \u00e9 \u{1f600}'],
    ['l', 2, 'mixed', 'json', { a: [1, 2], b: 'c' }],
    ['l', 4, 'mixed', 'date', '2024-04-11T09:07:54.000Z'],
    ['l', 4, 'mixed', 'bigint', '123456789012345678901234567890'],
    ['l', null, 'mixed', 'null', null],
    ['l', 4, 'mixed', 'number', 'NaN'],
    ['l', 4, 'mixed', 'boolean', true],
  ]
}

const variedContexts: Context[] = [
  ['c', 1, null, 'epoch', 1, 0],
  ['c', 2, 1, 'step', 1, 'first'],
  ['c', 3, null, 'epoch', 2, 1],
  ['c', 4, 3, 'step', 2 ** 40, null],
  ['c', 9_000_000_000, 3, 'step', 3, true],
  ['c', 2 ** 52, 9_000_000_000, 'leaf', 1, 2.5],
]

/** The column rows must say what the row tables say, name by name. */
async function expectColumnsMatchRows(backend: Backend, runId: number): Promise<void> {
  const names = await backend.all<NameColumnsRow & { name: string }>(
    'select * from frame_columns where run_id = ? order by name',
    [runId],
  )
  const logged = await backend.all<{ name: string }>(
    'select distinct name from logs where run_id = ? order by name',
    [runId],
  )

  expect(names.map((row) => row.name)).toEqual(logged.map((row) => row.name))

  for (const row of names) {
    const logs = await backend.all<{
      seq: number
      ctx_id: number | null
      vtype: string
      value: SqlValue
      replayed_from: string | null
    }>('select * from logs where run_id = ? and name = ? order by seq', [runId, row.name])
    const columns = NameColumns.fromRow(row)
    const decoded = logs.map((log) => decodeStored(log.vtype, log.value))

    expect(columns.count).toBe(logs.length)
    expect(columns.original).toBe(logs.filter((log) => log.replayed_from === null).length)
    expect([...columns.seq.subarray(0, columns.count)]).toEqual(logs.map((log) => log.seq))
    expect([...columns.ctx.subarray(0, columns.count)]).toEqual(logs.map((log) => log.ctx_id ?? -1))
    expect([...columns.kinds.subarray(0, columns.count)]).toEqual(decoded.map(([kind]) => kind))
    expect(columns.texts).toEqual(
      decoded.map(([, value]) => value).filter((value) => typeof value === 'string'),
    )
    expect([...columns.numbers.subarray(0, columns.count)]).toEqual(
      decoded.map(([, value]) => (typeof value === 'string' ? 0 : value)),
    )
  }

  const loops = await backend.all<{
    ctx_id: number
    parent_ctx_id: number | null
    name: string
    iteration: number
    value: SqlValue
  }>('select * from loops where run_id = ? order by ctx_id', [runId])
  const [stored] = await backend.all<LoopColumnsRow>('select * from frame_loops where run_id = ?', [
    runId,
  ])
  const columns = stored ? LoopColumns.fromRow(stored) : new LoopColumns()
  const expected = new LoopColumns()

  for (const loop of loops) {
    expected.add(loop.ctx_id, loop.parent_ctx_id, loop.name, loop.iteration, loop.value)
  }

  expect(columns.params()).toEqual(expected.params())
}

describe('frame columns', () => {
  let dir: string
  let backend: Backend

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'flordb-columns-'))
    backend = await openBackend(dir)
  })

  afterEach(async () => {
    await backend.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('writes a column row per logged name and one of loop iterations on ingestion', async () => {
    await ingestJournal(backend, journal(variedContexts, variedLogs()), { key: 'run.jsonl' })

    const names = await backend.all<{ name: string; count: number; kinds: unknown }>(
      'select name, count, kinds from frame_columns where run_id = 1 order by name',
    )

    expect(names.map(({ name, count }) => [name, count])).toEqual([
      ['flag', 2],
      ['lr', 1],
      ['mixed', 7],
      ['x', expect.any(Number)],
    ])
    // A name whose every value is a number needs no kinds.
    expect(names.find(({ name }) => name === 'x')?.kinds).toBeNull()
    await expectColumnsMatchRows(backend, 1)
  })

  it('replaces what an earlier replay wrote and adds the loop iterations a replay adds', async () => {
    const contexts: Context[] = [
      ['c', 1, null, 'epoch', 1, 0],
      ['c', 2, null, 'epoch', 2, 1],
    ]

    await ingestJournal(
      backend,
      journal(contexts, [
        ['l', 1, 'loss', 'number', 0.5],
        ['l', 2, 'loss', 'number', 0.25],
      ]),
      { key: 'run.jsonl' },
    )

    const replayed = (from: string, grads: number[]) =>
      journal(
        [...contexts, ['c', 3, null, 'epoch', 3, 2]],
        [
          ...grads.map((grad, i): Log => ['l', i + 1, 'grad', 'number', grad]),
          ['l', 3, 'loss', 'number', 0.125],
        ],
        { from, names: ['grad'] },
      )

    await ingestJournal(backend, replayed('v1', [1, 2, 3]), { key: 'replay-1.jsonl' })
    await expectColumnsMatchRows(backend, 1)
    await ingestJournal(backend, replayed('v2', [10, 20, 30]), { key: 'replay-2.jsonl' })
    await expectColumnsMatchRows(backend, 1)

    const frame = await buildDataframe(backend, ['loss', 'grad'])

    expect(frame.toRecords().map((row) => [row.epoch, row.loss, row.grad])).toEqual([
      [1, 0.5, 10],
      [2, 0.25, 20],
      [3, 0.125, 30],
    ])
  })

  it('fills the columns of a store from before them, as ingestion writes them', async () => {
    await ingestJournal(backend, journal(variedContexts, variedLogs()), { key: 'run.jsonl' })
    await ingestJournal(
      backend,
      journal(variedContexts, [['l', 2, 'flag', 'boolean', false]], {
        from: 'v1',
        names: ['flag'],
      }),
      { key: 'replay.jsonl' },
    )

    const written = await columnRows(backend)
    const frame = await buildDataframe(backend, ['x', 'flag', 'mixed', 'lr'])

    // The first schema version had neither table.
    await backend.run('drop table frame_columns')
    await backend.run('drop table frame_loops')
    await backend.run('pragma user_version = 1')
    await backend.close()
    backend = await openBackend(dir)

    expect(await columnRows(backend)).toEqual(written)
    expect((await buildDataframe(backend, ['x', 'flag', 'mixed', 'lr'])).toRecords()).toEqual(
      frame.toRecords(),
    )
    await expectColumnsMatchRows(backend, 1)
  })
})

/** The column tables, texts parsed: SQLite escapes JSON its own way. */
async function columnRows(backend: Backend): Promise<unknown[]> {
  const parse = (row: Record<string, unknown>) =>
    Object.fromEntries(
      Object.entries(row).map(([key, value]) => [
        key,
        key === 'texts' || key === 'names' ? JSON.parse(String(value ?? 'null')) : value,
      ]),
    )
  const names = await backend.all('select * from frame_columns order by run_id, name')
  const loops = await backend.all('select * from frame_loops order by run_id')

  return [...names, ...loops].map(parse)
}
