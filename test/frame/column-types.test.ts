import { afterEach, beforeEach, describe, expect, it } from 'vitest'

import { buildDataframe } from '../../src/frame/dataframe.js'
import { openTempStore, type TempStore } from './temp-store.js'

describe('dataframe column types', () => {
  let store: TempStore

  beforeEach(async () => {
    store = await openTempStore()
  })

  afterEach(() => store.close())

  let runs = 0

  /** Logs each value at its own step, in a run of its own, and returns the pivoted column. */
  async function column(values: readonly unknown[]) {
    const projid = `p${++runs}`
    const run = await store.addRun({ projid, tstamp: '2024-01-01T00:00:00.000Z', filename: 't.ts' })

    for (const [index, value] of values.entries()) {
      await run.log('v', value, await run.loop('step', index + 1, index))
    }

    const series = (await buildDataframe(store.backend, ['v'], { projid })).getColumn('v')

    return { dtype: String(series.dtype), values: series.toArray() as unknown[] }
  }

  it('keeps numbers exact in Float64, NaN and infinities included', async () => {
    const numbers = [
      0.1 + 0.2,
      1 / 3,
      -2.5e-300,
      5e-324,
      Number.MAX_VALUE,
      2 ** 60,
      3,
      0,
      -0,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      null,
    ]

    expect(await column(numbers)).toEqual({ dtype: 'DataType(Float64)', values: numbers })
  })

  it('types strings, booleans, dates and bigints', async () => {
    expect(await column(['a', null, 'ü'])).toEqual({
      dtype: 'DataType(String)',
      values: ['a', null, 'ü'],
    })
    expect(await column([true, false, null])).toEqual({
      dtype: 'DataType(Bool)',
      values: [true, false, null],
    })

    const date = new Date('2024-04-11T09:07:54.123Z')

    expect(await column([date, null])).toEqual({
      dtype: 'DataType(Datetime(ms,UTC))',
      values: [date, null],
    })
  })

  it('holds bigints in Int64, or as decimal text when one does not fit', async () => {
    const fits = await column([12n, -(2n ** 63n), null])

    expect(fits.dtype).toBe('DataType(Int64)')
    expect(fits.values).toEqual([12, -(2 ** 63), null])

    expect(await column([1n, 2n ** 64n])).toEqual({
      dtype: 'DataType(String)',
      values: ['1', '18446744073709551616'],
    })
  })

  it('turns uniform JSON into List and Struct columns', async () => {
    expect(await column([['a', 'b'], [], null])).toEqual({
      dtype: 'DataType(List(DataType(String)))',
      values: [['a', 'b'], [], null],
    })

    const records = await column([{ page: 1, tags: ['x'] }, { page: 2.5 }, null])

    expect(records.dtype).toBe(
      'DataType(Struct(Field("page", DataType(Float64)),Field("tags", DataType(List(DataType(String))))))',
    )
    expect(records.values[0]).toEqual({ page: 1, tags: ['x'] })
    expect(records.values[1]).toEqual({ page: 2.5, tags: null })
  })

  it('keeps JSON of mixed shapes as JSON text', async () => {
    expect(await column([[1, 2], { a: 1 }, ['x', 1]])).toEqual({
      dtype: 'DataType(String)',
      values: ['[1,2]', '{"a":1}', '["x",1]'],
    })
  })

  it('writes a column of mixed types as JSON text', async () => {
    const date = new Date('2024-04-11T09:07:54.000Z')

    expect(await column([1.5, 'a', true, null, [1], date, Number.NaN, 7n])).toEqual({
      dtype: 'DataType(String)',
      values: ['1.5', '"a"', 'true', null, '[1]', '"2024-04-11T09:07:54.000Z"', 'NaN', '7'],
    })
  })

  it('gives a Null column for a name never logged', async () => {
    const run = await store.addRun({ tstamp: '2024-01-01T00:00:00.000Z', filename: 't.ts' })

    await run.log('x', 1)

    const frame = await buildDataframe(store.backend, ['x', 'never'])

    expect(String(frame.getColumn('never').dtype)).toBe('DataType(Null)')
    expect(frame.getColumn('never').toArray()).toEqual([null])
  })

  it('types loop values and leaves out a value column no row has', async () => {
    const run = await store.addRun({ tstamp: '2024-01-01T00:00:00.000Z', filename: 't.ts' })
    const document = await run.loop('document', 1, 'a.pdf')
    const page = await run.loop('page', 1, null, document)

    await run.log('x', 1, await run.loop('word', 1, 0.5, page))

    const frame = await buildDataframe(store.backend, ['x'])

    expect(frame.columns).toEqual([
      'projid',
      'tstamp',
      'filename',
      'document',
      'document_value',
      'page',
      'word',
      'word_value',
      'x',
    ])
    expect(String(frame.getColumn('document').dtype)).toBe('DataType(Int64)')
    expect(frame.getColumn('word_value').toArray()).toEqual([0.5])
  })
})
