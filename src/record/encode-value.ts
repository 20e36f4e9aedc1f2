/**
 * How a logged value is typed in the journal and the store. Plain JSON keeps
 * its type; what JSON cannot say is tagged so it reads back without loss where
 * that is possible, and as a placeholder (never an exception) where it is not.
 */
export type ValueType = 'number' | 'string' | 'boolean' | 'null' | 'json' | 'date' | 'bigint'

export interface Encoded {
  type: ValueType
  /** What the journal writes for it: JSON text of the stored value. */
  json: string
  /** Set when part of the value could not be encoded; the caller warns once per name. */
  problem?: string
}

const typedArrayNames = new Set([
  'Int8Array',
  'Uint8Array',
  'Uint8ClampedArray',
  'Int16Array',
  'Uint16Array',
  'Int32Array',
  'Uint32Array',
  'Float32Array',
  'Float64Array',
  'BigInt64Array',
  'BigUint64Array',
])

export function encodeValue(value: unknown): Encoded {
  switch (typeof value) {
    case 'number':
      return Number.isFinite(value)
        ? { type: 'number', json: String(value) }
        : { type: 'number', json: `"${String(value)}"` }
    case 'string':
      return { type: 'string', json: JSON.stringify(value) }
    case 'boolean':
      return { type: 'boolean', json: value ? 'true' : 'false' }
    case 'bigint':
      return { type: 'bigint', json: `"${value.toString()}"` }
    case 'undefined':
      return { type: 'null', json: 'null' }
    case 'function':
    case 'symbol':
      return placeholder(typeof value, `a ${typeof value} cannot be stored`)
  }

  if (value === null) return { type: 'null', json: 'null' }

  if (value instanceof Date) {
    return Number.isNaN(value.getTime())
      ? { type: 'null', json: 'null', problem: 'an invalid Date was stored as null' }
      : { type: 'date', json: `"${value.toISOString()}"` }
  }

  const problems: string[] = []
  const tagged = toTaggedJson(value, new Set(), problems)

  return { type: 'json', json: JSON.stringify(tagged), problem: problems[0] }
}

/**
 * Objects and arrays become JSON. Tags (`$flor`) keep what JSON would drop:
 * `{ $flor: 'Map', entries }`, `{ $flor: 'Set', values }`, `{ $flor: 'Float32Array', values }`,
 * `{ $flor: 'bigint', value }`, `{ $flor: 'number', value: 'NaN' }`, `{ $flor: 'Date', value }`,
 * and a class instance keeps its own fields plus `$class`.
 */
function toTaggedJson(value: unknown, seen: Set<object>, problems: string[]): unknown {
  switch (typeof value) {
    case 'number':
      return Number.isFinite(value) ? value : { $flor: 'number', value: String(value) }
    case 'bigint':
      return { $flor: 'bigint', value: value.toString() }
    case 'undefined':
      return null
    case 'function':
    case 'symbol':
      problems.push(`a ${typeof value} inside the value was stored as a placeholder`)
      return { $flor: 'unencodable', type: typeof value }
    case 'string':
    case 'boolean':
      return value
  }

  if (value === null) return null

  const object = value as object

  if (seen.has(object)) {
    problems.push('a circular reference inside the value was stored as a placeholder')
    return { $flor: 'unencodable', type: 'circular' }
  }

  seen.add(object)

  try {
    return taggedObject(object, seen, problems)
  } finally {
    seen.delete(object)
  }
}

function taggedObject(object: object, seen: Set<object>, problems: string[]): unknown {
  const recurse = (inner: unknown) => toTaggedJson(inner, seen, problems)

  if (Array.isArray(object)) return object.map(recurse)

  if (object instanceof Date) {
    return { $flor: 'Date', value: Number.isNaN(object.getTime()) ? null : object.toISOString() }
  }

  if (object instanceof Map) {
    return { $flor: 'Map', entries: [...object].map(([key, inner]) => [recurse(key), recurse(inner)]) }
  }

  if (object instanceof Set) return { $flor: 'Set', values: [...object].map(recurse) }

  if (ArrayBuffer.isView(object) && typedArrayNames.has(object.constructor.name)) {
    const values = Array.from(object as unknown as ArrayLike<number | bigint>, recurse)

    return { $flor: object.constructor.name, values }
  }

  if (typeof (object as { toJSON?: unknown }).toJSON === 'function') {
    return recurse((object as { toJSON(): unknown }).toJSON())
  }

  const fields: Record<string, unknown> = {}
  const prototype = Object.getPrototypeOf(object)

  if (prototype !== Object.prototype && prototype !== null) {
    fields.$class = prototype.constructor?.name ?? 'anonymous'
  }

  for (const [key, inner] of Object.entries(object)) fields[key] = recurse(inner)

  return fields
}

function placeholder(type: string, problem: string): Encoded {
  return { type: 'json', json: JSON.stringify({ $flor: 'unencodable', type }), problem }
}

/** The stored form of a journal value, by its type: what SQL columns hold. */
export function storedValue(type: ValueType, value: unknown): string | number | bigint | null {
  switch (type) {
    case 'number':
      return value as number | string
    case 'boolean':
      // A JS number is bound as REAL; a bigint binds as the INTEGER the schema promises.
      return value ? 1n : 0n
    case 'null':
      return null
    case 'json':
      return JSON.stringify(value)
    default:
      return value as string
  }
}

/** Reads a stored value back into JavaScript, the inverse of `storedValue`. */
export function decodeValue(type: string, stored: unknown): unknown {
  switch (type) {
    case 'number':
      return typeof stored === 'string' ? Number(stored) : stored
    case 'boolean':
      return stored === 1 || stored === true
    case 'json':
      return typeof stored === 'string' ? JSON.parse(stored) : stored
    case 'date':
      return new Date(stored as string)
    case 'bigint':
      return BigInt(stored as string)
    default:
      return stored
  }
}
