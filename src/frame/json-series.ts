import pl from 'nodejs-polars'

type Shape =
  | { readonly kind: 'null' | 'number' | 'string' | 'boolean' }
  | { readonly kind: 'list'; readonly item: Shape }
  | { readonly kind: 'struct'; readonly fields: ReadonlyMap<string, Shape> }

/** Objects with more keys than this are more likely maps than records: they stay JSON text. */
const maxFields = 64

/**
 * A column of JSON texts (null where missing): a List or Struct column when every value
 * has the same shape (fields may be missing, numbers may be integers or not), else the
 * JSON texts themselves as Utf8. Numbers inside follow polars' JSON reader: Int64 when
 * all are integral, else Float64.
 *
 * TODO: `$flor` tags (NaN inside an array, a Map, a BigInt) are not decoded, so a list
 * holding one becomes JSON text instead of a List column.
 */
export function jsonSeries(name: string, texts: (string | null)[]): pl.Series {
  let shape: Shape | undefined = { kind: 'null' }

  for (const text of texts) {
    if (text === null) continue

    shape = merge(shape, shapeOf(parse(text)))

    if (!shape) return pl.Series(name, texts as string[], pl.Utf8)
  }

  if (!shape || !isUniform(shape)) return pl.Series(name, texts as string[], pl.Utf8)

  // Polars' own JSON reader builds nested columns natively, far faster than from JS objects.
  const lines = texts.map((text) => `{"v":${text ?? 'null'}}`).join('\n')
  const frame = pl.readJSON(Buffer.from(lines), { format: 'lines', inferSchemaLength: null })

  return frame.getColumn('v').rename(name)
}

const unparsable = Symbol('unparsable')

function parse(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return unparsable
  }
}

function shapeOf(value: unknown): Shape | undefined {
  if (value === unparsable) return undefined
  if (value === null) return { kind: 'null' }
  if (typeof value === 'number') return { kind: 'number' }
  if (typeof value === 'string') return { kind: 'string' }
  if (typeof value === 'boolean') return { kind: 'boolean' }

  if (Array.isArray(value)) {
    let item: Shape | undefined = { kind: 'null' }

    for (const element of value) {
      item = merge(item, shapeOf(element))

      if (!item) return undefined
    }

    return { kind: 'list', item }
  }

  const fields = new Map<string, Shape>()

  for (const [key, field] of Object.entries(value as Record<string, unknown>)) {
    const shape = shapeOf(field)

    if (!shape) return undefined

    fields.set(key, shape)
  }

  return fields.size > maxFields ? undefined : { kind: 'struct', fields }
}

function merge(a: Shape | undefined, b: Shape | undefined): Shape | undefined {
  if (!a || !b) return undefined
  if (a.kind === 'null') return b
  if (b.kind === 'null') return a
  if (a.kind !== b.kind) return undefined

  if (a.kind === 'list' && b.kind === 'list') {
    const item = merge(a.item, b.item)

    return item && { kind: 'list', item }
  }

  if (a.kind === 'struct' && b.kind === 'struct') {
    const fields = new Map(a.fields)

    for (const [key, shape] of b.fields) {
      const merged = merge(fields.get(key) ?? { kind: 'null' }, shape)

      if (!merged) return undefined

      fields.set(key, merged)
    }

    return fields.size > maxFields ? undefined : { kind: 'struct', fields }
  }

  return a
}

// Polars has no usable column type for a struct without fields or for a top-level null.
function isUniform(shape: Shape): boolean {
  if (shape.kind === 'list') return shape.item.kind === 'null' || isUniform(shape.item)
  if (shape.kind === 'struct') {
    return (
      shape.fields.size > 0 &&
      [...shape.fields.values()].every((field) => field.kind === 'null' || isUniform(field))
    )
  }

  return shape.kind !== 'null'
}
