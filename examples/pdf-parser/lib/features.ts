import type { PageRecord, TextLine } from './manifest.js'

/**
 * The numbers the model reads for a page, each scaled to about [0, 1]. Most
 * compare the page with the one before it: a document boundary is a change.
 */
export const FEATURE_NAMES = [
  'page_one',
  'page_continues',
  'page_unnumbered',
  'prev_was_last',
  'heading_top',
  'heading_size',
  'header_repeat',
  'word_overlap',
  'ink_top',
  'layout_change',
  'source_change',
  'prev_signoff',
] as const

export type FeatureName = (typeof FEATURE_NAMES)[number]

export interface PageFeatures {
  readonly headings: string[]
  /** Numbers printed as this page's number ("Page 3 of 7", "- 3 -", a lone "3" in a margin). */
  readonly pageNumbers: number[]
  /** The N of "Page n of N" or "n/N", when the page says how long its document is. */
  readonly pageOf: number | null
  readonly values: Record<FeatureName, number>
}

const MARGIN_TOP = 0.085
const MARGIN_BOTTOM = 0.9

const NUMBERING: readonly RegExp[] = [
  /\bpage\s+(\d{1,4})(?:\s*(?:of|\/)\s*(\d{1,4}))?\b/i,
  /^[-–—]\s*(\d{1,4})\s*[-–—]$/,
  /^(\d{1,4})\s*\/\s*(\d{1,4})$/,
  /^(\d{1,4})$/,
]

const SIGNOFF =
  /\b(sincerely|yours truly|respectfully submitted|kind regards|best regards|end of (report|document))\b/i

/** Features of every page of one PDF, in page order. */
export const featurizePages = (pages: readonly PageRecord[]): PageFeatures[] => {
  const out: PageFeatures[] = []

  pages.forEach((page, i) => {
    const previous = i > 0 ? pages[i - 1] : undefined
    const before = out[i - 1]
    const body = bodySize(page.lines)
    const headings = findHeadings(page.lines, body)
    const { numbers, of } = findPageNumbers(page.lines)
    const number = numbers[0]
    const previousNumber = before?.pageNumbers[0]
    const biggest = Math.max(0, ...headings.map((h) => h.size))
    const head = runningHead(page.lines)

    out.push({
      headings: headings.map((h) => h.text),
      pageNumbers: numbers,
      pageOf: of,
      values: {
        page_one: flag(number === 1),
        page_continues: flag(
          number !== undefined && previousNumber !== undefined && number === previousNumber + 1,
        ),
        page_unnumbered: flag(number === undefined),
        prev_was_last: flag(
          !previous || (before?.pageOf != null && previousNumber === before.pageOf),
        ),
        heading_top: flag(headings.some((h) => h.top < 0.3)),
        heading_size: clip((biggest / body - 1) / 1.5),
        header_repeat: flag(head !== undefined && head === runningHead(previous?.lines ?? [])),
        word_overlap: previous ? jaccard(words(page.text), words(previous.text)) : 0,
        ink_top: clip(page.ink.inkTop * 8),
        layout_change: previous ? clip(gridDistance(page.ink.grid, previous.ink.grid) * 8) : 1,
        source_change: flag(previous !== undefined && previous.textSrc !== page.textSrc),
        prev_signoff: flag(previous !== undefined && SIGNOFF.test(previous.text)),
      },
    })
  })

  return out
}

/** The size most of the page's characters are set in. */
const bodySize = (lines: readonly TextLine[]): number => {
  const weight = new Map<number, number>()

  for (const line of lines) {
    const size = Math.round(line.size)

    weight.set(size, (weight.get(size) ?? 0) + line.text.length)
  }

  const [size] = [...weight].sort((a, b) => b[1] - a[1])[0] ?? [11]

  return Math.max(1, size)
}

/**
 * A heading is a line outside the margins that is set larger than the body,
 * or a short line in capitals (OCR sizes are rough; capitals survive OCR).
 */
const findHeadings = (lines: readonly TextLine[], body: number): TextLine[] =>
  lines.filter((line) => {
    if (line.top < MARGIN_TOP || line.top > MARGIN_BOTTOM) return false

    const letters = line.text.replace(/[^A-Za-z]/g, '')
    const capitals = letters.replace(/[^A-Z]/g, '').length
    const shouting = letters.length >= 5 && capitals / letters.length > 0.8
    const short = line.text.split(' ').length <= 10

    return short && (line.size >= body * 1.2 || shouting)
  })

const findPageNumbers = (lines: readonly TextLine[]): { numbers: number[]; of: number | null } => {
  const margins = lines.filter(
    (line, i) => line.top < MARGIN_TOP || line.top > MARGIN_BOTTOM || i === lines.length - 1,
  )
  const numbers: number[] = []
  let of: number | null = null

  for (const line of margins) {
    for (const pattern of NUMBERING) {
      const match = pattern.exec(line.text.trim())

      if (!match) continue

      const n = Number(match[1])
      const total = match[2] === undefined ? null : Number(match[2])

      if (n === 0 || (total !== null && n > total)) continue
      if (!numbers.includes(n)) numbers.push(n)
      if (total !== null) of ??= total
      break
    }
  }

  return { numbers, of }
}

/** The first line in the top margin, without its digits: what repeats on every page of a document. */
const runningHead = (lines: readonly TextLine[]): string | undefined => {
  const first = lines[0]

  if (!first || first.top >= MARGIN_TOP) return undefined

  return first.text.replace(/\d+/g, '#').toLowerCase()
}

const words = (text: string): Set<string> => new Set(text.toLowerCase().match(/[a-z]{4,}/g) ?? [])

const jaccard = (a: Set<string>, b: Set<string>): number => {
  if (a.size === 0 || b.size === 0) return 0

  let shared = 0

  for (const word of a) if (b.has(word)) shared++

  return round(shared / (a.size + b.size - shared))
}

const gridDistance = (a: readonly number[], b: readonly number[]): number =>
  a.reduce((sum, value, i) => sum + Math.abs(value - (b[i] ?? 0)), 0) / Math.max(1, a.length)

const flag = (condition: boolean): number => (condition ? 1 : 0)

const clip = (n: number): number => round(Math.max(0, Math.min(1, n)))

const round = (n: number): number => Math.round(n * 1000) / 1000
