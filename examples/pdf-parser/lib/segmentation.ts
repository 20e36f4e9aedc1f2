import type { FeatureName } from './features.js'

/** How many tints the viewer cycles through; neighbouring documents never share one. */
export const PALETTE_SIZE = 4

/** Colours a segmentation: the n-th document (from 0) gets colour n mod the palette size. */
export const colorsFromFirstPages = (firstPages: readonly number[]): number[] => {
  let doc = 0

  return firstPages.map((first, i) => {
    if (i > 0 && first) doc++

    return doc % PALETTE_SIZE
  })
}

/** Reads a colouring back: a page starts a document when its colour differs from the page before. */
export const firstPagesFromColors = (colors: readonly number[]): number[] =>
  colors.map((color, i) => (i === 0 || color !== colors[i - 1] ? 1 : 0))

/** The 1-based page ranges of the documents a segmentation describes. */
export const documentRanges = (firstPages: readonly number[]): [number, number][] => {
  const ranges: [number, number][] = []

  firstPages.forEach((first, i) => {
    const last = ranges.at(-1)

    if (i === 0 || first || !last) ranges.push([i + 1, i + 1])
    else last[1] = i + 1
  })

  return ranges
}

/**
 * The segmentation before any model exists: a page starts a document when its
 * printed number restarts at 1, when the page before said it was the last, or
 * when it opens with a heading, is not a numbered continuation and shares no
 * running head with the page before.
 */
export const ruleFirstPage = (features: Readonly<Record<FeatureName, number>>): number => {
  if (features.page_one || features.prev_was_last || features.prev_signoff) return 1
  if (features.page_continues || features.header_repeat) return 0

  return features.heading_top && features.layout_change > 0.3 ? 1 : 0
}
