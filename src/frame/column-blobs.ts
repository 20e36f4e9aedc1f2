/**
 * The typed arrays of the frame's column tables travel as little-endian blobs: float64
 * for values, int64 for ids and iterations, int32 for codes, uint8 for kinds. SQLite's
 * backfill writes the same bytes with `unhex`, so the byte order is fixed, not the host's.
 */
const littleEndian = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1

export function float64Blob(values: Float64Array, count = values.length): Buffer {
  const bytes = Buffer.from(values.buffer, values.byteOffset, count * 8)

  return littleEndian ? Buffer.from(bytes) : Buffer.from(bytes).swap64()
}

/** Integers up to 2^53 in magnitude, as int64. */
export function int64Blob(values: Float64Array, count = values.length): Buffer {
  const words = new Int32Array(2 * count)

  for (let i = 0; i < count; i++) {
    const value = values[i] ?? 0
    const high = Math.floor(value / 2 ** 32)

    words[2 * i] = value - high * 2 ** 32
    words[2 * i + 1] = high
  }

  return int32Blob(words)
}

export function int32Blob(values: Int32Array, count = values.length): Buffer {
  const bytes = Buffer.from(values.buffer, values.byteOffset, count * 4)

  return littleEndian ? Buffer.from(bytes) : Buffer.from(bytes).swap32()
}

export const uint8Blob = (values: Uint8Array, count = values.length): Buffer =>
  Buffer.from(values.subarray(0, count))

export function readFloat64s(blob: unknown): Float64Array {
  const bytes = aligned(blob, 8)

  if (!littleEndian) bytes.swap64()

  return new Float64Array(bytes.buffer, bytes.byteOffset, bytes.length / 8)
}

export function readInt64s(blob: unknown): Float64Array {
  const words = readInt32s(blob)
  const values = new Float64Array(words.length / 2)

  for (let i = 0; i < values.length; i++) {
    values[i] = (words[2 * i + 1] ?? 0) * 2 ** 32 + ((words[2 * i] ?? 0) >>> 0)
  }

  return values
}

export function readInt32s(blob: unknown): Int32Array {
  const bytes = aligned(blob, 4)

  if (!littleEndian) bytes.swap32()

  return new Int32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4)
}

export const readUint8s = (blob: unknown): Uint8Array =>
  blob instanceof Uint8Array ? blob : new Uint8Array(0)

/** The texts of a column: a JSON array of strings, or none. */
export const readTexts = (text: unknown): string[] =>
  typeof text === 'string' ? (JSON.parse(text) as string[]) : []

// A typed array view needs an offset that is a multiple of its element size; a byte swap
// must not touch the driver's buffer. Either way the bytes are copied.
function aligned(blob: unknown, size: number): Buffer {
  const bytes = blob instanceof Uint8Array ? blob : new Uint8Array(0)
  const length = bytes.length - (bytes.length % size)

  if (littleEndian && bytes.byteOffset % size === 0) {
    return Buffer.from(bytes.buffer, bytes.byteOffset, length)
  }

  const copy = Buffer.alloc(length)

  copy.set(bytes.subarray(0, length))

  return copy
}
