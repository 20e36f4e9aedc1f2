import pl from 'nodejs-polars'

export type Format = 'table' | 'csv' | 'json'
export const formats: readonly Format[] = ['table', 'csv', 'json']

/** What a command hands to `main` to print: commands never print themselves. */
export type Output =
  | { kind: 'frame'; frame: pl.DataFrame }
  | { kind: 'rows'; rows: Record<string, unknown>[]; json?: unknown }
  | { kind: 'text'; text: string; json?: unknown }

export function render(output: Output, format: Format): string {
  if (output.kind === 'text') {
    return format === 'json' ? toJson(output.json ?? output.text) : output.text
  }

  if (format === 'json') {
    return toJson(output.kind === 'frame' ? output.frame.toRecords() : (output.json ?? output.rows))
  }

  const frame = output.kind === 'frame' ? output.frame : rowsFrame(output.rows)

  if (format === 'csv') return frame.writeCSV().toString().trimEnd()

  return frame.toString()
}

// Polars infers a column's type from its values; a column it cannot type is shown as JSON text.
function rowsFrame(rows: Record<string, unknown>[]): pl.DataFrame {
  if (rows.length === 0) return pl.DataFrame({})

  const columns: Record<string, pl.Series> = {}

  for (const name of Object.keys(rows[0]!)) {
    const values = rows.map((row) => row[name] ?? null)
    const integers = values.every((value) => value === null || Number.isSafeInteger(value))
    const types = new Set(values.filter((value) => value !== null).map((value) => typeof value))

    // Polars types a column by its first value and turns the others into nulls
    // (a `value` column of numbers and text lost its text): mixed ones are text.
    if (types.size > 1) {
      columns[name] = pl.Series(
        name,
        values.map((value) => (value === null ? null : String(value))),
      )
      continue
    }

    try {
      columns[name] = integers ? pl.Series(name, values, pl.Int64) : pl.Series(name, values)
    } catch {
      columns[name] = pl.Series(
        name,
        values.map((value) => (value === null ? null : JSON.stringify(value))),
      )
    }
  }

  return pl.DataFrame(Object.values(columns))
}

export function toJson(value: unknown): string {
  return JSON.stringify(
    value,
    (_key, inner) => (typeof inner === 'bigint' ? inner.toString() : inner),
    2,
  )
}
