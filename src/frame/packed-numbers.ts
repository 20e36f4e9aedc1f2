/**
 * The dataframe reads a run's values as a few long comma-separated strings built by
 * `group_concat` instead of one JS array per row: better-sqlite3 spends about a
 * microsecond on each row array, which alone would blow the budget of a million records.
 *
 * A packed number is one of:
 * - an integer, `-12`, for values stored as integers;
 * - `<mantissa>p<exponent>`, meaning mantissa × 2^exponent, for reals: SQLite prints
 *   doubles slowly and not always exactly, while this split keeps every bit;
 * - any other text JavaScript's `Number` reads (`-0`, `Infinity`).
 * Values that are not numbers give null, which `group_concat` skips.
 *
 * TODO: this SQL is SQLite's (group_concat, printf, log2, typeof ordering). A PostgreSQL
 * backend needs its own form (string_agg, float8send); until then the dataframe works
 * only on the SQLite store.
 */
export function packedNumberSql(value: string): string {
  const exponent = `cast(log2(abs(${value})) as integer)`
  const shift = `(53 - ${exponent})`

  // log2 may round up to the next integer; 53 - exponent then still keeps every bit.
  // Integral reals take the first path too: checking for them costs more than it saves.
  // Near the ends of the range one power of two would overflow, so two scale instead;
  // subnormals are whole multiples of 2^-1074. printf drops the sign of -0: atan2 sees it.
  return `case typeof(${value})
    when 'real' then case
      when abs(${value}) between 1e-290 and 1e290
        then cast(${value} * power(2, ${shift}) as integer) || 'p' || (${exponent} - 53)
      when ${value} = 0 then case when atan2(${value}, -1) < 0 then '-0' else '0' end
      when abs(${value}) < 2.2250738585072014e-308
        then cast(${value} * power(2, 537) * power(2, 537) as integer) || 'p-1074'
      when abs(${value}) <= 1.7976931348623157e308
        then cast(${value} * power(2, ${shift} / 2) * power(2, ${shift} - ${shift} / 2) as integer)
          || 'p' || (${exponent} - 53)
      else case when ${value} > 0 then 'Infinity' else '-Infinity' end
    end
    when 'integer' then ${value}
  end`
}

/** `group_concat` of `expression` as bytes: scanning a Buffer beats scanning a JS string. */
export function packedListSql(expression: string): string {
  return `cast(group_concat(${expression}) as blob)`
}

const comma = 44
const minus = 45
const zero = 48
const nine = 57
const p = 112

// 2^-1000 … 2^1000, so the hot loop multiplies by a table entry instead of calling pow.
const powersOfTwo = Float64Array.from({ length: 2001 }, (_, index) => 2 ** (index - 1000))

const powerOfTwo = (exponent: number): number =>
  exponent >= -1000 && exponent <= 1000 ? (powersOfTwo[exponent + 1000] ?? 0) : 2 ** exponent

/** Reads `count` comma-separated integers from a `packedListSql` column. */
export function parsePackedIntegers(packed: unknown, count: number): Float64Array {
  const out = new Float64Array(count)

  if (count === 0 || packed === null || packed === undefined) return out

  const bytes = packed instanceof Uint8Array ? packed : Buffer.from(String(packed), 'latin1')
  const length = bytes.length
  let position = 0

  for (let index = 0; index < count && position < length; index++) {
    let code = bytes[position] ?? comma
    let negative = false
    let value = 0

    if (code === minus) {
      negative = true
      position++
    }

    while (position < length && (code = bytes[position] ?? comma) !== comma) {
      value = value * 10 + (code - zero)
      position++
    }

    out[index] = negative ? -value : value
    position++
  }

  return out
}

/** Reads `count` packed numbers (integers included) from a `packedListSql` column. */
export function parsePackedNumbers(packed: unknown, count: number): Float64Array {
  const out = new Float64Array(count)

  if (count === 0 || packed === null || packed === undefined) return out

  const bytes = packed instanceof Uint8Array ? packed : Buffer.from(String(packed), 'latin1')
  const length = bytes.length
  let position = 0

  for (let index = 0; index < count; index++) {
    const start = position
    let negative = false
    let mantissa = 0
    let code = bytes[position] ?? comma

    if (code === minus) {
      negative = true
      code = bytes[++position] ?? comma
    }

    // Accumulating digits in a double stays exact: see the mantissa bound above.
    while (code >= zero && code <= nine) {
      mantissa = mantissa * 10 + (code - zero)
      code = bytes[++position] ?? comma
    }

    if (code === comma) {
      out[index] = negative ? -mantissa : mantissa
    } else if (code === p) {
      let exponentNegative = false
      let exponent = 0

      code = bytes[++position] ?? comma

      if (code === minus) {
        exponentNegative = true
        code = bytes[++position] ?? comma
      }

      while (code >= zero && code <= nine) {
        exponent = exponent * 10 + (code - zero)
        code = bytes[++position] ?? comma
      }

      const power = exponentNegative ? -exponent : exponent
      // Past ±1000 one power of two could overflow or vanish; two halves stay exact.
      const value =
        power >= -1000 && power <= 1000
          ? mantissa * (powersOfTwo[power + 1000] ?? 0)
          : mantissa * powerOfTwo(Math.trunc(power / 2)) * powerOfTwo(power - Math.trunc(power / 2))

      out[index] = negative ? -value : value
    } else {
      while (position < length && bytes[position] !== comma) position++
      out[index] = Number(
        Buffer.from(bytes.buffer, bytes.byteOffset + start, position - start).toString('latin1'),
      )
    }

    position++
  }

  return out
}
