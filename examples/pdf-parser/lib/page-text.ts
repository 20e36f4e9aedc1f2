import type { TextLine } from './manifest.js'

/** The parts of a pdf.js text item this module reads. */
export interface TextItemLike {
  readonly str: string
  readonly transform: readonly number[]
  readonly width: number
  readonly height: number
}

/** Maps a point in PDF space to the rendered page (pdf.js `viewport.convertToViewportPoint`). */
export type ToViewport = (x: number, y: number) => readonly number[]

interface Placed {
  readonly str: string
  readonly x: number
  readonly y: number
  readonly size: number
  readonly right: number
}

/**
 * Groups pdf.js text items into lines, top to bottom and left to right.
 * Positions go through the viewport so that rotated pages and odd media
 * boxes read the way they look.
 */
export const linesFromItems = (
  items: readonly TextItemLike[],
  toViewport: ToViewport,
  pageHeight: number,
): TextLine[] => {
  const placed: Placed[] = []

  for (const item of items) {
    if (item.str.trim() === '') continue

    const [a = 0, b = 0, , , e = 0, f = 0] = item.transform
    const size = item.height || Math.hypot(a, b)
    const [x = 0, y = 0] = toViewport(e, f)

    placed.push({ str: item.str, x, y, size, right: x + item.width })
  }

  placed.sort((p, q) => p.y - q.y || p.x - q.x)

  const rows: Placed[][] = []

  for (const item of placed) {
    const row = rows.at(-1)
    const first = row?.[0]

    if (row && first && Math.abs(item.y - first.y) < Math.max(first.size, item.size) * 0.5) {
      row.push(item)
    } else {
      rows.push([item])
    }
  }

  return rows.map((row) => {
    row.sort((p, q) => p.x - q.x)

    const size = Math.max(...row.map((item) => item.size))
    let text = ''
    let right = -Infinity

    for (const item of row) {
      // Items rarely carry their spaces; a visible gap is one.
      const gap = item.x - right > size * 0.15
      text +=
        text && gap && !text.endsWith(' ') && !item.str.startsWith(' ') ? ` ${item.str}` : item.str
      right = item.right
    }

    const top = Math.max(0, (Math.min(...row.map((item) => item.y)) - size) / pageHeight)

    return { text: text.replace(/\s+/g, ' ').trim(), size: round(size), top: round(top) }
  })
}

export const textOfLines = (lines: readonly TextLine[]): string =>
  lines.map((line) => line.text).join('\n')

/** Counts the characters that carry meaning: what the OCR rule looks at. */
export const visibleChars = (text: string): number => text.replace(/\s/g, '').length

const round = (n: number): number => Math.round(n * 1000) / 1000
