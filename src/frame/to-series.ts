import pl from 'nodejs-polars'

import { jsonSeries } from './json-series.js'
import { Kind, type ValueStore } from './value-store.js'

/**
 * One dataframe column from the values its rows point at (`refs`, -1 for none). The
 * column type follows the kinds present: numbers Float64, strings Utf8, booleans
 * Boolean, dates Datetime (ms, UTC), bigints Int64 (Utf8 decimal when one overflows
 * it), JSON List/Struct (see `jsonSeries`). A column mixing kinds holds each value
 * as JSON text. Returns undefined when every value is missing: a Null column.
 */
export function toSeries(
  name: string,
  refs: Int32Array,
  length: number,
  store: ValueStore,
): pl.Series | undefined {
  const { kinds } = store
  const nulls = new Uint8Array(length)
  let seen = 0
  let missing = 0

  for (let row = 0; row < length; row++) {
    const ref = refs[row] ?? -1
    const kind = ref < 0 ? Kind.null : (kinds[ref] ?? Kind.null)

    if (kind === Kind.null) {
      nulls[row] = 1
      missing++
    } else {
      seen |= 1 << kind
    }
  }

  if (seen === 0) return undefined

  const series =
    typedSeries(name, refs, length, store, seen) ?? mixedSeries(name, refs, length, store)

  return missing > 0 && series.nullCount() < missing ? withNulls(series, nulls) : series
}

function typedSeries(
  name: string,
  refs: Int32Array,
  length: number,
  store: ValueStore,
  seen: number,
): pl.Series | undefined {
  if (seen === 1 << Kind.number) return pl.Series(name, gatherNumbers(refs, length, store))
  if (seen === 1 << Kind.boolean)
    return pl.Series(name, gatherNumbers(refs, length, store)).cast(pl.Bool)
  if (seen === 1 << Kind.string)
    return pl.Series(name, gatherTexts(refs, length, store) as string[], pl.Utf8)
  if (seen === 1 << Kind.json) return jsonSeries(name, gatherTexts(refs, length, store))
  if (seen === 1 << Kind.date) return dateSeries(name, gatherTexts(refs, length, store))
  if (seen === 1 << Kind.bigint) return bigintSeries(name, gatherTexts(refs, length, store))

  return undefined
}

/** Sets the rows flagged in `nulls` to null, whatever the column's type. */
export function withNulls(series: pl.Series, nulls: Uint8Array): pl.Series {
  const name = series.name
  const flags = pl.Series('__null', nulls).cast(pl.Bool)

  return pl
    .DataFrame([series, flags])
    .select(pl.when(pl.col('__null')).then(pl.lit(null)).otherwise(pl.col(name)).alias(name))
    .getColumn(name)
}

function gatherNumbers(refs: Int32Array, length: number, store: ValueStore): Float64Array {
  const values = new Float64Array(length)
  const { numbers } = store

  for (let row = 0; row < length; row++) {
    const ref = refs[row] ?? -1

    if (ref >= 0) values[row] = numbers[ref] ?? 0
  }

  return values
}

function gatherTexts(refs: Int32Array, length: number, store: ValueStore): (string | null)[] {
  const values = new Array<string | null>(length)

  for (let row = 0; row < length; row++) {
    const ref = refs[row] ?? -1

    values[row] = ref >= 0 && store.kinds[ref] !== Kind.null ? store.text(ref) : null
  }

  return values
}

/** Datetime (ms, UTC) from ISO-8601 texts; undefined if one does not parse. */
export function dateSeries(name: string, texts: readonly (string | null)[]): pl.Series | undefined {
  const times = new Float64Array(texts.length)

  for (const [row, text] of texts.entries()) {
    if (text === null) continue

    const time = Date.parse(text)

    if (Number.isNaN(time)) return undefined

    times[row] = time
  }

  return pl.Series(name, times).cast(pl.Int64).cast(pl.Datetime('ms', 'UTC'))
}

const int64Min = -(2n ** 63n)
const int64Max = 2n ** 63n - 1n

function bigintSeries(name: string, texts: (string | null)[]): pl.Series {
  const values = new BigInt64Array(texts.length)

  for (const [row, text] of texts.entries()) {
    if (text === null) continue

    const value = parseBigint(text)

    if (value === undefined || value < int64Min || value > int64Max)
      return pl.Series(name, texts as string[], pl.Utf8)

    values[row] = value
  }

  return pl.Series(name, values)
}

function parseBigint(text: string): bigint | undefined {
  try {
    return BigInt(text)
  } catch {
    return undefined
  }
}

const nonFinite = (value: number): string =>
  Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity'

// NaN and the infinities have no JSON form; they are written the way JavaScript prints them.
function mixedSeries(name: string, refs: Int32Array, length: number, store: ValueStore): pl.Series {
  const values = new Array<string | null>(length)

  for (let row = 0; row < length; row++) {
    const ref = refs[row] ?? -1
    const kind = ref < 0 ? Kind.null : store.kinds[ref]
    const number = store.numbers[ref] ?? 0

    if (kind === Kind.number)
      values[row] = Number.isFinite(number) ? JSON.stringify(number) : nonFinite(number)
    else if (kind === Kind.boolean) values[row] = number !== 0 ? 'true' : 'false'
    else if (kind === Kind.string || kind === Kind.date)
      values[row] = JSON.stringify(store.text(ref))
    else if (kind === Kind.json || kind === Kind.bigint) values[row] = store.text(ref)
    else values[row] = null
  }

  return pl.Series(name, values as string[], pl.Utf8)
}
