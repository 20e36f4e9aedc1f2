/** What a stored value decodes to; the dataframe picks a column type from these. */
export const Kind = {
  null: 0,
  number: 1,
  string: 2,
  boolean: 3,
  json: 4,
  date: 5,
  bigint: 6,
} as const

export type Kind = (typeof Kind)[keyof typeof Kind]

/**
 * Decoded values of one dataframe, in columns: a kind per value, and a number that is
 * either the value itself (numbers, booleans) or an index into `texts`.
 */
export class ValueStore {
  kinds: Uint8Array
  numbers: Float64Array
  readonly texts: string[] = []
  length = 0

  /** `capacity`: how many values are expected, so a big frame allocates once. */
  constructor(capacity = 1024) {
    this.kinds = new Uint8Array(capacity)
    this.numbers = new Float64Array(capacity)
  }

  /** Makes room for `count` more values and returns the index of the first. */
  reserve(count: number): number {
    const start = this.length
    const needed = start + count

    if (needed > this.kinds.length) {
      const size = Math.max(needed, this.kinds.length * 2)
      const kinds = new Uint8Array(size)
      const numbers = new Float64Array(size)

      kinds.set(this.kinds.subarray(0, start))
      numbers.set(this.numbers.subarray(0, start))
      this.kinds = kinds
      this.numbers = numbers
    }

    this.length = needed

    return start
  }

  setText(index: number, kind: Kind, text: string): void {
    this.kinds[index] = kind
    this.numbers[index] = this.texts.length
    this.texts.push(text)
  }

  text(index: number): string {
    return this.texts[this.numbers[index] ?? -1] ?? ''
  }
}
