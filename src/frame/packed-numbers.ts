/**
 * The dataframe reads a run's values as a few long comma-separated strings built by
 * `group_concat` instead of one JS array per row: better-sqlite3 spends about a
 * microsecond on each row array, which alone would blow the budget of a million records.
 *
 * A packed number is one of:
 * - an integer, `-12`, for integral values (cheap for SQLite to print);
 * - `<mantissa>p<exponent>`, meaning mantissa × 2^exponent, for other finite reals: SQLite
 *   prints doubles with only 15 significant digits and slowly, while this split is exact;
 * - any other text JavaScript's `Number` reads, for the rare values outside those two.
 */
export function packedNumberSql(value: string): string {
  const exponent = `cast(log2(abs(${value})) as integer)`

  // log2 may round up to the next integer; 53 - exponent then still keeps every bit.
  return `case
    when typeof(${value}) = 'integer' then ${value}
    when ${value} = cast(${value} as integer) and ${value} != 0
      and abs(${value}) <= 9007199254740992 then cast(${value} as integer)
    when abs(${value}) between 1e-290 and 1e290
      then cast(${value} * power(2, 53 - ${exponent}) as integer) || 'p' || (${exponent} - 53)
    else printf('%!.17g', ${value})
  end`
}

const comma = 44
const minus = 45
const zero = 48
const nine = 57
const p = 112

const powersOfTwo = new Map<number, number>()

function powerOfTwo(exponent: number): number {
  let power = powersOfTwo.get(exponent)

  if (power === undefined) {
    power = 2 ** exponent
    powersOfTwo.set(exponent, power)
  }

  return power
}

/** Reads `count` comma-separated packed numbers (integers included) from `text`. */
export function parsePackedNumbers(text: unknown, count: number): Float64Array {
  const out = new Float64Array(count)

  if (typeof text !== 'string' || count === 0) return out

  const length = text.length
  let position = 0

  for (let index = 0; index < count; index++) {
    const start = position
    let negative = false
    let mantissa = 0
    let code = text.charCodeAt(position)

    if (code === minus) {
      negative = true
      code = text.charCodeAt(++position)
    }

    // Accumulating digits in a double stays exact: see the mantissa bound above.
    while (code >= zero && code <= nine) {
      mantissa = mantissa * 10 + (code - zero)
      code = text.charCodeAt(++position)
    }

    if (code === comma || position >= length) {
      out[index] = negative ? -mantissa : mantissa
    } else if (code === p) {
      let exponentNegative = false
      let exponent = 0

      code = text.charCodeAt(++position)

      if (code === minus) {
        exponentNegative = true
        code = text.charCodeAt(++position)
      }

      while (code >= zero && code <= nine) {
        exponent = exponent * 10 + (code - zero)
        code = text.charCodeAt(++position)
      }

      const value = mantissa * powerOfTwo(exponentNegative ? -exponent : exponent)

      out[index] = negative ? -value : value
    } else {
      while (position < length && text.charCodeAt(position) !== comma) position++
      out[index] = Number(text.slice(start, position))
    }

    position++
  }

  return out
}
