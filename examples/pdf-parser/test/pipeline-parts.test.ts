import { describe, expect, it } from 'vitest'
import { featurizePages } from '../lib/features.js'
import { GroupCommit } from '../lib/group-commit.js'
import type { PageRecord, TextLine } from '../lib/manifest.js'
import { linesFromItems } from '../lib/page-text.js'
import { colorsFromFirstPages, documentRanges, firstPagesFromColors } from '../lib/segmentation.js'

describe('segmentations and colours', () => {
  it('gives each document the next colour, and reads boundaries back from colour changes', () => {
    const firstPages = [1, 0, 1, 1, 0, 1, 0, 0, 1]
    const colors = colorsFromFirstPages(firstPages)

    expect(colors).toEqual([0, 0, 1, 2, 2, 3, 3, 3, 0])
    expect(firstPagesFromColors(colors)).toEqual(firstPages)
    expect(documentRanges(firstPages)).toEqual([
      [1, 2],
      [3, 3],
      [4, 5],
      [6, 8],
      [9, 9],
    ])
  })

  it('starts a document on the first page whatever its colour', () => {
    expect(firstPagesFromColors([2, 2, 0])).toEqual([1, 0, 1])
  })
})

const line = (text: string, top: number, size = 11): TextLine => ({ text, top, size })

const page = (number: number, lines: TextLine[]): PageRecord => ({
  page: number,
  image: '',
  width: 612,
  height: 792,
  textSrc: 'text',
  text: lines.map((l) => l.text).join('\n'),
  lines,
  ocrConfidence: null,
  ink: { ink: 0.05, inkTop: 0.02, grid: new Array(64).fill(0.05) },
})

describe('page features', () => {
  const pages = [
    page(1, [
      line('COMPLAINT AND PRAYER FOR JURY TRIAL', 0.12, 14),
      line('The plaintiff says this.', 0.2),
      line('Page 1 of 2', 0.95, 9),
    ]),
    page(2, [line('The plaintiff says more.', 0.1), line('Page 2 of 2', 0.95, 9)]),
    page(3, [
      line("Investigator's Report - Case: 20-0344", 0.04, 9),
      line('SUPPLEMENTAL REPORT', 0.1, 14),
      line('- 1 -', 0.95),
    ]),
    page(4, [line("Investigator's Report - Case: 20-0344", 0.04, 9), line('- 2 -', 0.95)]),
  ]
  const features = featurizePages(pages)

  it('finds printed page numbers and how many pages a document says it has', () => {
    expect(features.map((f) => f.pageNumbers)).toEqual([[1], [2], [1], [2]])
    expect(features[0]?.pageOf).toBe(2)
    expect(features[1]?.values.page_continues).toBe(1)
  })

  it('sees the end of a document announced by "Page n of n"', () => {
    expect(features[2]?.values.prev_was_last).toBe(1)
    expect(features[2]?.values.page_one).toBe(1)
  })

  it('finds headings by size or capitals, never in the margins', () => {
    expect(features[0]?.headings).toEqual(['COMPLAINT AND PRAYER FOR JURY TRIAL'])
    expect(features[3]?.headings).toEqual([])
    expect(features[0]?.values.heading_top).toBe(1)
  })

  it('recognises a running head that repeats with other digits', () => {
    expect(features[3]?.values.header_repeat).toBe(1)
    expect(features[1]?.values.header_repeat).toBe(0)
  })
})

describe('text lines from pdf.js items', () => {
  it('joins items on one baseline, top to bottom, and spaces visible gaps', () => {
    const item = (str: string, x: number, y: number, width: number) => ({
      str,
      transform: [11, 0, 0, 11, x, y],
      width,
      height: 11,
    })
    // A flipped y axis, as pdf.js viewports map PDF space to the page.
    const lines = linesFromItems(
      [item('world', 120, 700, 30), item('Hello', 72, 700, 28), item('Below', 72, 680, 30)],
      (x, y) => [x, 792 - y],
      792,
    )

    expect(lines.map((l) => l.text)).toEqual(['Hello world', 'Below'])
    expect(lines[0]?.size).toBe(11)
  })
})

describe('group commit', () => {
  it('lets saves that arrive during a commit share the next one', async () => {
    const started: number[] = []
    const release: (() => void)[] = []
    const group = new GroupCommit(
      () =>
        new Promise<void>((resolve) => {
          started.push(started.length + 1)
          release.push(resolve)
        }),
    )

    const first = group.commit()
    const second = group.commit()
    const third = group.commit()

    expect(started).toEqual([1])
    release[0]?.()
    await first
    await Promise.resolve()
    expect(started).toEqual([1, 2])
    expect(second).toBe(third)
    release[1]?.()
    await Promise.all([second, third])
    expect(started).toEqual([1, 2])
  })

  it('keeps committing after a commit fails', async () => {
    let calls = 0
    const group = new GroupCommit(async () => {
      calls++
      if (calls === 1) throw new Error('git is busy')
    })

    await expect(group.commit()).rejects.toThrow('git is busy')
    await expect(group.commit()).resolves.toBeUndefined()
    expect(calls).toBe(2)
  })
})
