/**
 * Splits every PDF into pages: a PNG per page (pdf.js rendering through
 * @napi-rs/canvas) and the page's text, with a manifest per PDF.
 *
 * The OCR rule: a page's text comes from the PDF's own text layer when that
 * layer holds at least `ocr_below` visible (non-space) characters; otherwise
 * the page is treated as scanned, rendered at 2× and read with tesseract.js.
 * A page with a short but real text layer (a one-word page) is therefore
 * OCR'd too, which costs a second and gains the same text back.
 *
 *   tsx split.ts --kwargs pdfs=samples out=build
 *
 * A PDF whose bytes and split settings have not changed since its manifest
 * was written is skipped, so adding one PDF to a folder splits only that one.
 */
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import * as flor from 'flordb'
import { readManifest, writeManifest, type PageRecord } from './lib/manifest.js'
import { Ocr } from './lib/ocr.js'
import { linesFromItems, textOfLines, visibleChars } from './lib/page-text.js'
import { openPdf } from './lib/pdfjs.js'
import { imageStats, renderPage } from './lib/render.js'
import {
  createWorkspace,
  listPdfs,
  manifestPath,
  pageImageName,
  pagesDir,
} from './lib/workspace.js'

const ws = createWorkspace(flor.arg('pdfs', 'samples'), flor.arg('out', 'build'))
const ocrBelow = flor.arg('ocr_below', 16)
const previewScale = flor.arg('preview_scale', 1)
const ocrScale = flor.arg('ocr_scale', 2)

// Manifests written by other code or other settings are stale, whatever their age.
const splitter = ['split.ts', 'lib/ocr.ts', 'lib/page-text.ts', 'lib/pdfjs.ts', 'lib/render.ts']
  .reduce(
    (hash, file) => hash.update(readFileSync(new URL(file, import.meta.url))),
    createHash('sha256').update(JSON.stringify([ocrBelow, previewScale, ocrScale])),
  )
  .digest('hex')
  .slice(0, 16)

const pdfs = listPdfs(ws)
const ocr = new Ocr()
let split = 0
let pagesWritten = 0
let pagesRead = 0

try {
  for (const pdf of flor.loop(
    'document',
    pdfs.map((p) => p.name),
  )) {
    const source = pdfs.find((p) => p.name === pdf)?.path as string
    const bytes = readFileSync(source)
    const sha256 = createHash('sha256').update(bytes).digest('hex')
    const manifest = manifestPath(ws, pdf)

    if (existsSync(manifest)) {
      const old = readManifest(manifest)

      if (old.sha256 === sha256 && old.splitter === splitter) continue
    }

    const dir = pagesDir(ws, pdf)

    rmSync(dir, { recursive: true, force: true })
    mkdirSync(dir, { recursive: true })

    const doc = await openPdf(bytes)
    const pages: PageRecord[] = []

    for (const number of flor.loop('page', range(1, doc.numPages))) {
      const page = await doc.getPage(number)
      const viewport = page.getViewport({ scale: 1 })
      const preview = await renderPage(page, previewScale)
      const image = pageImageName(number)
      const content = await page.getTextContent()
      let lines = linesFromItems(
        content.items.flatMap((item) => ('str' in item ? [item] : [])),
        (x, y) => viewport.convertToViewportPoint(x, y),
        viewport.height,
      )
      let text = textOfLines(lines)
      let textSrc: PageRecord['textSrc'] = 'text'
      let ocrConfidence: number | null = null

      writeFileSync(join(dir, image), preview.toBuffer('image/png'))

      if (visibleChars(text) < ocrBelow) {
        const scan = await renderPage(page, ocrScale)
        const read = await ocr.recognize(scan.toBuffer('image/png'), ocrScale, viewport.height)

        lines = [...read.lines]
        text = read.text
        textSrc = 'ocr'
        ocrConfidence = read.confidence
        flor.log('ocr_confidence', read.confidence)
        pagesRead++
      }

      flor.log('text_src', textSrc)
      flor.log('chars', visibleChars(text))
      pages.push({
        page: number,
        image,
        width: viewport.width,
        height: viewport.height,
        textSrc,
        text,
        lines,
        ocrConfidence,
        ink: imageStats(preview),
      })
      page.cleanup()
    }

    await doc.destroy()
    writeManifest(manifest, { document: pdf, source, sha256, splitter, pages })
    split++
    pagesWritten += pages.length
  }
} finally {
  await ocr.close()
}

// Pages of PDFs that left the folder would otherwise linger in the app.
const keep = new Set(pdfs.map((p) => p.name))
const pagesRoot = join(ws.out, 'pages')

for (const dir of existsSync(pagesRoot) ? readdirSync(pagesRoot) : []) {
  if (!keep.has(dir)) rmSync(join(pagesRoot, dir), { recursive: true, force: true })
}

flor.log('pdfs_split', split)
flor.log('pages_split', pagesWritten)
console.log(
  `split ${split} of ${pdfs.length} PDFs (${pagesWritten} pages, ${pagesRead} by OCR) into ${pagesRoot}`,
)

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i)
}
