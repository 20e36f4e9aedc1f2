/**
 * Binary blocks inside a journal. A block is announced by a text line
 * `["b",<bytes>]` and its bytes follow that line directly; then text resumes.
 * Records in a block are little-endian:
 *
 * - number log (17 bytes): tag 1, context id (int32, -1: none), name id (int32), value (float64)
 * - loop context (26 bytes): tag 2, id, parent (-1: none), name id, iteration (int32 each),
 *   has-value (uint8), value (float64)
 *
 * Name ids are defined by text lines `["n",<id>,"<name>"]` before their first use.
 */
export const binaryTag = { number: 1, context: 2 } as const

export const numberRecordBytes = 17
export const contextRecordBytes = 26

export const blockLine = (bytes: number): string => `["b",${bytes}]\n`

/** Reads one block's records in order, calling back for each, so interleaving with text is kept. */
export function readBlock(
  bytes: Buffer,
  onNumber: (context: number | null, name: number, value: number) => void,
  onContext: (id: number, parent: number | null, name: number, iteration: number, value: number | null) => void,
): void {
  let at = 0

  while (at < bytes.length) {
    const tag = bytes[at]

    if (tag === binaryTag.number && at + numberRecordBytes <= bytes.length) {
      const context = bytes.readInt32LE(at + 1)

      onNumber(context < 0 ? null : context, bytes.readInt32LE(at + 5), bytes.readDoubleLE(at + 9))
      at += numberRecordBytes
    } else if (tag === binaryTag.context && at + contextRecordBytes <= bytes.length) {
      const parent = bytes.readInt32LE(at + 5)
      const hasValue = bytes[at + 17] === 1

      onContext(
        bytes.readInt32LE(at + 1),
        parent < 0 ? null : parent,
        bytes.readInt32LE(at + 9),
        bytes.readInt32LE(at + 13),
        hasValue ? bytes.readDoubleLE(at + 18) : null,
      )
      at += contextRecordBytes
    } else {
      // A block cut short by a crash: what is whole has been read.
      return
    }
  }
}
