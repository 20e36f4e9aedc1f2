/**
 * Writes the sample PDFs: bundles of unrelated documents stapled together,
 * each document with its own headings and page numbering, some pages scanned
 * (an image without a text layer). Deterministic for a given seed; no network.
 *
 *   tsx samples.ts --kwargs pdfs=samples seed=1 count=3
 *
 * Besides the PDFs it writes `truth.json` (where every document starts, for
 * benchmarks) and `labels.json` (the same for all but the last PDF: the hand
 * labels `label.ts` logs; the last PDF is left for a person to label in the app).
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { PDFDocument } from 'pdf-lib'
import * as flor from 'flordb'
import { Random } from './lib/random.js'
import { STYLES, type DocumentKind } from './lib/sample-corpus.js'
import {
  drawPage,
  embedFonts,
  layoutDocument,
  PAGE_HEIGHT,
  PAGE_WIDTH,
  scanPage,
} from './lib/sample-layout.js'

const BUNDLES = ['county-records', 'board-packet', 'mailroom-scans', 'vendor-file', 'tenant-file']

/** How long each kind of document runs, in pages. */
const LENGTHS: Record<DocumentKind, readonly [number, number]> = {
  complaint: [2, 4],
  letter: [1, 3],
  invoice: [1, 2],
  minutes: [1, 3],
  report: [2, 3],
  memo: [1, 2],
}

// A fixed date keeps the PDF bytes identical from one machine to the next.
const EPOCH = new Date('2024-04-11T09:00:00Z')

const dir = flor.arg('pdfs', 'samples')
const seed = flor.arg('seed', 1)
const count = flor.arg('count', 3)
const scans = flor.arg('scans', true)

const random = new Random(seed)
const truth: Record<string, number[]> = {}

mkdirSync(dir, { recursive: true })

for (const index of flor.loop('bundle', range(count))) {
  const name = bundleName(index)
  const pdf = await PDFDocument.create({ updateMetadata: false })
  const fonts = await embedFonts(pdf)
  const kinds = random.shuffle(Object.keys(STYLES) as DocumentKind[]).slice(0, random.int(3, 4))
  // Every third bundle holds one document that went through a scanner.
  const scanned = scans && index % 3 === 2 ? random.int(0, kinds.length - 1) : -1
  const starts: number[] = []

  for (const [i, kind] of kinds.entries()) {
    const [min, max] = LENGTHS[kind]
    const style = STYLES[kind](random)
    // Real documents are less tidy than their templates: some lose their page
    // numbers or their sign-off, which is what makes the boundaries hard to see.
    const untidy = {
      ...style,
      footer: random.next() < 0.25 ? undefined : style.footer,
      closing: random.next() < 0.3 ? [] : style.closing,
    }
    const pages = layoutDocument(
      untidy,
      i === scanned ? random.int(1, 2) : random.int(min, max),
      fonts,
      random,
    )

    starts.push(pdf.getPageCount() + 1)

    for (const placed of pages) {
      const page = pdf.addPage([PAGE_WIDTH, PAGE_HEIGHT])

      if (i === scanned) {
        const image = await pdf.embedJpg(await scanPage(placed, random))

        page.drawImage(image, { x: 0, y: 0, width: PAGE_WIDTH, height: PAGE_HEIGHT })
      } else {
        drawPage(page, placed, fonts)
      }
    }
  }

  pdf.setTitle(name)
  pdf.setProducer('flordb pdf-parser samples')
  pdf.setCreationDate(EPOCH)
  pdf.setModificationDate(EPOCH)
  writeFileSync(join(dir, `${name}.pdf`), await pdf.save())

  truth[name] = starts
  flor.log('pages', pdf.getPageCount())
  flor.log('documents', starts.length)
}

const labelled = Object.fromEntries(Object.entries(truth).slice(0, Math.max(1, count - 1)))

writeFileSync(join(dir, 'truth.json'), JSON.stringify(truth, null, 1) + '\n')
writeFileSync(join(dir, 'labels.json'), JSON.stringify(labelled, null, 1) + '\n')

function bundleName(index: number): string {
  const base = BUNDLES[index % BUNDLES.length] as string
  const round = Math.floor(index / BUNDLES.length)

  return [base, seed === 1 ? '' : `s${seed}`, round ? String(round + 1) : '']
    .filter(Boolean)
    .join('-')
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i)
}
