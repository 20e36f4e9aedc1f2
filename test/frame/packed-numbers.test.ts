import { afterEach, beforeEach, describe, expect, it } from 'vitest'

import {
  packedListSql,
  packedNumberSql,
  parsePackedIntegers,
  parsePackedNumbers,
} from '../../src/frame/packed-numbers.js'
import { openTempStore, type TempStore } from './temp-store.js'

describe('packed numbers', () => {
  let store: TempStore

  beforeEach(async () => {
    store = await openTempStore()
  })

  afterEach(() => store.close())

  it('carries every finite double through SQLite bit for bit', async () => {
    const bits = new Uint32Array(2 * 20_000)

    for (let i = 0; i < bits.length; i++) bits[i] = Math.floor(Math.random() * 2 ** 32)

    const random = Array.from(new Float64Array(bits.buffer)).filter(Number.isFinite)
    const doubles = [...random, 0, -0, 5e-324, -Number.MAX_VALUE, 2 ** 53 + 2, 1e-291, 1e291, 0.1]

    await store.backend.transaction((tx) =>
      tx.insertMany(
        "insert into logs (run_id, seq, name, vtype, value) values (1, ?, 'x', 'number', ?)",
        doubles.map((value, seq) => [seq, value]),
      ),
    )

    const [row] = await store.backend.rows(
      `select count(*), ${packedListSql(packedNumberSql('value'))}
      from (select value from logs where run_id = 1 order by seq)`,
    )
    const parsed = Array.from(parsePackedNumbers(row?.[1], doubles.length))

    expect(row?.[0]).toBe(doubles.length)
    expect(parsed.filter((value, i) => !Object.is(value, doubles[i]))).toEqual([])
  })

  it('reads integers, signs and plain decimal text', () => {
    expect(Array.from(parsePackedNumbers('12,-3,0,-0,3p-1,-5p2,1.5e+300', 7))).toEqual([
      12, -3, 0, -0, 1.5, -20, 1.5e300,
    ])
    expect(Array.from(parsePackedNumbers(Buffer.from('7,8'), 2))).toEqual([7, 8])
    expect(Array.from(parsePackedNumbers(null, 0))).toEqual([])
    expect(Array.from(parsePackedIntegers(Buffer.from('-1,9007199254740991,0'), 3))).toEqual([
      -1, 9007199254740991, 0,
    ])
  })
})
