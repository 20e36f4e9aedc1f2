import pl from 'nodejs-polars'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'

import { FlorError } from '../../src/errors.js'
import { buildDataframe } from '../../src/frame/dataframe.js'
import { openTempStore, type TempStore } from './temp-store.js'

const rowsOf = (frame: pl.DataFrame): Record<string, unknown>[] =>
  frame.toRecords() as Record<string, unknown>[]

const pick = (frame: pl.DataFrame, ...columns: string[]): unknown[][] =>
  rowsOf(frame).map((row) => columns.map((column) => row[column]))

describe('buildDataframe', () => {
  let store: TempStore

  beforeEach(async () => {
    store = await openTempStore()
  })

  afterEach(() => store.close())

  it('pivots a featurize run over documents and pages (Figure 2)', async () => {
    const run = await store.addRun({ tstamp: '2024-04-11T09:07:54.000Z', filename: 'featurize.ts' })
    const documents = { '6-Complaint_Judgment': 3, Menlo_Ave_9Jul20: 2 }
    let d = 0

    for (const [name, pages] of Object.entries(documents)) {
      const document = await run.loop('document', ++d, name)

      for (let page = 0; page < pages; page++) {
        const ctx = await run.loop('page', page + 1, page, document)

        await run.log('text_src', 'ocr', ctx)
        await run.log('page_text', `${name} page ${page + 1}`, ctx)
        await run.log('headings', [`COUNT ${page + 1}`], ctx)
        await run.log('page_numbers', [1, page + 1], ctx)
      }
    }

    const frame = await buildDataframe(store.backend, [
      'text_src',
      'page_text',
      'headings',
      'page_numbers',
    ])

    expect(frame.columns).toEqual([
      'projid',
      'tstamp',
      'filename',
      'document',
      'document_value',
      'page',
      'page_value',
      'text_src',
      'page_text',
      'headings',
      'page_numbers',
    ])
    expect(frame.height).toBe(5)
    expect(String(frame.getColumn('headings').dtype)).toBe('DataType(List(DataType(String)))')
    expect(String(frame.getColumn('page_numbers').dtype)).toBe('DataType(List(DataType(Int64)))')
    expect(pick(frame, 'document', 'document_value', 'page', 'page_value', 'page_numbers')).toEqual(
      [
        [1, '6-Complaint_Judgment', 1, 0, [1, 1]],
        [1, '6-Complaint_Judgment', 2, 1, [1, 2]],
        [1, '6-Complaint_Judgment', 3, 2, [1, 3]],
        [2, 'Menlo_Ave_9Jul20', 1, 0, [1, 1]],
        [2, 'Menlo_Ave_9Jul20', 2, 1, [1, 2]],
      ],
    )
    expect(rowsOf(frame)[0]).toMatchObject({
      projid: 'pdf_parser',
      tstamp: new Date('2024-04-11T09:07:54.000Z'),
      filename: 'featurize.ts',
      text_src: 'ocr',
      page_text: '6-Complaint_Judgment page 1',
      headings: ['COUNT 1'],
    })
  })

  it('outer-joins values of two runs over the same loops (Figure 3)', async () => {
    const label = await store.addRun({ tstamp: '2024-04-11T09:38:23.000Z', filename: 'label.ts' })
    const app = await store.addRun({ tstamp: '2024-04-11T09:38:25.000Z', filename: 'app.ts' })

    for (const [run, name] of [
      [label, 'first_page'],
      [app, 'page_color'],
    ] as const) {
      const document = await run.loop('document', 1, '6-Complaint_Judgment')

      for (let page = 0; page < 3; page++) {
        const ctx = await run.loop('page', page + 1, page, document)

        await run.log(name, name === 'first_page' ? Number(page === 0) : page % 2, ctx)
      }
    }

    const frame = await buildDataframe(store.backend, ['first_page', 'page_color'])

    expect(frame.columns).toEqual([
      'projid',
      'tstamp',
      'filename',
      'document',
      'document_value',
      'page',
      'page_value',
      'first_page',
      'page_color',
    ])
    expect(pick(frame, 'filename', 'document_value', 'page', 'first_page', 'page_color')).toEqual([
      ['label.ts', '6-Complaint_Judgment', 1, 1, null],
      ['label.ts', '6-Complaint_Judgment', 2, 0, null],
      ['label.ts', '6-Complaint_Judgment', 3, 0, null],
      ['app.ts', '6-Complaint_Judgment', 1, null, 0],
      ['app.ts', '6-Complaint_Judgment', 2, null, 1],
      ['app.ts', '6-Complaint_Judgment', 3, null, 0],
    ])
  })

  it('repeats a run-level value on every row of its run', async () => {
    const run = await store.addRun({ tstamp: '2024-01-01T00:00:00.000Z', filename: 'train.ts' })

    await run.log('lr', 0.001)

    for (let step = 1; step <= 3; step++)
      await run.log('loss', 1 / step, await run.loop('step', step, step - 1))

    const frame = await buildDataframe(store.backend, ['lr', 'loss'])

    expect(pick(frame, 'step', 'lr', 'loss')).toEqual([
      [1, 0.001, 1],
      [2, 0.001, 0.5],
      [3, 0.001, 1 / 3],
    ])
  })

  it('gives a run-level value its own row when nothing else was logged', async () => {
    const run = await store.addRun({ tstamp: '2024-01-01T00:00:00.000Z', filename: 'train.ts' })

    await run.loop('epoch', 1, 0)
    await run.log('lr', 0.01)

    const frame = await buildDataframe(store.backend, ['lr'])

    expect(frame.columns).toEqual(['projid', 'tstamp', 'filename', 'lr'])
    expect(pick(frame, 'lr')).toEqual([[0.01]])
  })

  it('keeps every occurrence of a name logged repeatedly at one position', async () => {
    const run = await store.addRun({ tstamp: '2024-01-01T00:00:00.000Z', filename: 'train.ts' })
    const step = await run.loop('step', 1, 0)
    const next = await run.loop('step', 2, 1)

    await run.log('loss', 0.5, step)
    await run.log('acc', 0.9, step)
    await run.log('loss', 0.5, step)
    await run.log('loss', 0.25, step)
    await run.log('loss', 0.125, next)

    const frame = await buildDataframe(store.backend, ['loss', 'acc'])

    expect(pick(frame, 'step', 'loss', 'acc')).toEqual([
      [1, 0.5, 0.9],
      [1, 0.5, null],
      [1, 0.25, null],
      [2, 0.125, null],
    ])
  })

  it('broadcasts an outer loop value onto the rows of its inner loop', async () => {
    const run = await store.addRun({ tstamp: '2024-01-01T00:00:00.000Z', filename: 'train.ts' })

    for (let e = 1; e <= 3; e++) {
      const epoch = await run.loop('epoch', e, e - 1)

      // The last epoch is cut short before its first step.
      for (let s = 1; e < 3 && s <= 2; s++)
        await run.log('loss', e * 10 + s, await run.loop('step', s, s - 1, epoch))

      await run.log('acc', e / 10, epoch)
    }

    const frame = await buildDataframe(store.backend, ['loss', 'acc'])

    expect(frame.columns).toEqual([
      'projid',
      'tstamp',
      'filename',
      'epoch',
      'epoch_value',
      'step',
      'step_value',
      'loss',
      'acc',
    ])
    expect(pick(frame, 'epoch', 'step', 'loss', 'acc')).toEqual([
      [1, 1, 11, 0.1],
      [1, 2, 12, 0.1],
      [2, 1, 21, 0.2],
      [2, 2, 22, 0.2],
      [3, null, null, 0.3],
    ])
  })

  it('does not cross-multiply sibling loops', async () => {
    const run = await store.addRun({ tstamp: '2024-01-01T00:00:00.000Z', filename: 'train.ts' })
    const epoch = await run.loop('epoch', 1, 0)

    for (let s = 1; s <= 2; s++) await run.log('loss', s, await run.loop('train', s, s - 1, epoch))
    for (let s = 1; s <= 2; s++)
      await run.log('val_loss', s / 10, await run.loop('eval', s, s - 1, epoch))

    const frame = await buildDataframe(store.backend, ['loss', 'val_loss'])

    expect(pick(frame, 'epoch', 'train', 'eval', 'loss', 'val_loss')).toEqual([
      [1, 1, null, 1, null],
      [1, 2, null, 2, null],
      [1, null, 1, null, 0.1],
      [1, null, 2, null, 0.2],
    ])
  })

  it('keeps an outer value on its own row when the same name is also logged inside', async () => {
    const run = await store.addRun({ tstamp: '2024-01-01T00:00:00.000Z', filename: 'train.ts' })
    const epoch = await run.loop('epoch', 1, 0)

    await run.log('loss', 9, epoch)
    await run.log('lr', 0.1, epoch)
    await run.log('loss', 1, await run.loop('step', 1, 0, epoch))

    const frame = await buildDataframe(store.backend, ['loss', 'lr'])

    expect(pick(frame, 'epoch', 'step', 'loss', 'lr')).toEqual([
      [1, null, 9, 0.1],
      [1, 1, 1, null],
    ])
  })

  it('orders rows by run timestamp, then by execution order', async () => {
    const late = await store.addRun({ tstamp: '2024-02-01T00:00:00.000Z', filename: 'late.ts' })
    const early = await store.addRun({ tstamp: '2024-01-01T00:00:00.000Z', filename: 'early.ts' })

    for (const run of [late, early]) {
      const outer = await run.loop('epoch', 1, 0)

      await run.log('x', 2, await run.loop('step', 1, 0, outer))
      // Logged later, but its iteration started first.
      await run.log('x', 1, outer)
    }

    const frame = await buildDataframe(store.backend, ['x'])

    expect(pick(frame, 'filename', 'step', 'x')).toEqual([
      ['early.ts', null, 1],
      ['early.ts', 1, 2],
      ['late.ts', null, 1],
      ['late.ts', 1, 2],
    ])
  })

  it('filters runs by projid', async () => {
    const kept = await store.addRun({
      projid: 'kept',
      tstamp: '2024-01-01T00:00:00.000Z',
      filename: 'a.ts',
    })
    const other = await store.addRun({
      projid: 'other',
      tstamp: '2024-01-02T00:00:00.000Z',
      filename: 'b.ts',
    })

    await kept.log('lr', 1)
    await other.log('lr', 2)

    const frame = await buildDataframe(store.backend, ['lr'], { projid: 'kept' })

    expect(pick(frame, 'projid', 'lr')).toEqual([['kept', 1]])
  })

  it('gives one row per run with its run-level values when no name is asked', async () => {
    const first = await store.addRun({ tstamp: '2024-01-01T00:00:00.000Z', filename: 'train.ts' })
    const second = await store.addRun({ tstamp: '2024-01-02T00:00:00.000Z', filename: 'train.ts' })
    const third = await store.addRun({ tstamp: '2024-01-03T00:00:00.000Z', filename: 'eval.ts' })

    await first.log('epochs', 5)
    await first.log('lr', 0.1)
    await first.log('loss', 3, await first.loop('epoch', 1, 0))
    await second.log('lr', 0.01)
    await second.log('seed', 7)
    void third

    const frame = await buildDataframe(store.backend, [])

    expect(frame.columns).toEqual(['projid', 'tstamp', 'filename', 'epochs', 'lr', 'seed'])
    expect(pick(frame, 'filename', 'epochs', 'lr', 'seed')).toEqual([
      ['train.ts', 5, 0.1, null],
      ['train.ts', null, 0.01, 7],
      ['eval.ts', null, null, null],
    ])
  })

  it('gives an empty frame with the right columns for an empty store', async () => {
    const named = await buildDataframe(store.backend, ['loss', 'acc'])
    const unnamed = await buildDataframe(store.backend, [])

    expect(named.height).toBe(0)
    expect(named.columns).toEqual(['projid', 'tstamp', 'filename', 'loss', 'acc'])
    expect(String(named.getColumn('tstamp').dtype)).toBe('DataType(Datetime(ms,UTC))')
    expect(unnamed.height).toBe(0)
    expect(unnamed.columns).toEqual(['projid', 'tstamp', 'filename'])
  })

  it('refuses reserved names and loop columns, pointing to flor.query', async () => {
    const run = await store.addRun({ tstamp: '2024-01-01T00:00:00.000Z', filename: 'train.ts' })

    await run.log('loss', 1, await run.loop('epoch', 1, 0))

    for (const name of ['projid', 'tstamp', 'filename', 'epoch', 'epoch_value']) {
      const error = await buildDataframe(store.backend, ['loss', name]).catch(
        (caught: unknown) => caught,
      )

      expect(error).toBeInstanceOf(FlorError)
      expect(error).toMatchObject({
        code: 'E_RESERVED_NAME',
        message: expect.stringContaining('flor.query'),
      })
    }
  })

  it('reads sparse ctx ids, deep parents and huge iterations', async () => {
    const run = await store.addRun({ tstamp: '2024-01-01T00:00:00.000Z', filename: 'train.ts' })
    const outer = await run.loopAt(5, 'outer', 1, 'a')
    const far = await run.loopAt(9_000_000_000, 'inner', 2 ** 40, 'b', outer)
    const near = await run.loopAt(9_000_000_001, 'inner', 3, 7, outer)

    // Rows follow ctx ids, so this one comes after `near`.
    const deep = await run.loopAt(2 ** 52, 'leaf', 1, null, far)

    await run.log('x', 1, far)
    await run.log('x', 2, near)
    await run.log('y', 3, deep)

    const frame = await buildDataframe(store.backend, ['x', 'y'])

    expect(pick(frame, 'outer', 'outer_value', 'inner', 'inner_value', 'leaf', 'x', 'y')).toEqual([
      [1, 'a', 3, '7', null, 2, null],
      [1, 'a', 2 ** 40, '"b"', 1, 1, 3],
    ])
  })

  it('reads ctx ids with gaps', async () => {
    const run = await store.addRun({ tstamp: '2024-01-01T00:00:00.000Z', filename: 'train.ts' })

    for (let step = 1; step <= 4; step++)
      await run.log('x', step, await run.loopAt(2 * step + 1, 'step', step, step - 1))

    const frame = await buildDataframe(store.backend, ['x'])

    expect(pick(frame, 'step', 'step_value', 'x')).toEqual([
      [1, 0, 1],
      [2, 1, 2],
      [3, 2, 3],
      [4, 3, 4],
    ])
  })
})
