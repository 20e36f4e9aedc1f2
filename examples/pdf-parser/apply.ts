/**
 * Splits every PDF into one PDF per document it holds, following the colours
 * a person saved in the app or, for PDFs nobody has checked, the latest
 * prediction of `infer`.
 *
 *   tsx apply.ts --kwargs pdfs=samples out=build
 *
 * Writes <out>/documents/<pdf>/<pdf>-<n>-p<first>-<last>.pdf, replacing what
 * an earlier run wrote for that PDF.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import * as flor from 'flordb'
import { PDFDocument } from 'pdf-lib'
import { Library } from './lib/document-state.js'
import { documentRanges, firstPagesFromColors } from './lib/segmentation.js'
import { createWorkspace } from './lib/workspace.js'

const ws = createWorkspace(flor.arg('pdfs', 'samples'), flor.arg('out', 'build'))
const library = new Library(ws)
const pdfs = library.pdfs()
let written = 0

for (const name of flor.loop(
  'document',
  pdfs.map((pdf) => pdf.name),
)) {
  const state = await library.state(name)
  const source = await PDFDocument.load(readFileSync(library.find(name)?.path as string))
  const ranges = documentRanges(firstPagesFromColors(state.pages.map((page) => page.color)))
  const dir = join(ws.out, 'documents', name)

  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })

  for (const [i, [first, last]] of ranges.entries()) {
    const part = await PDFDocument.create()
    const indices = Array.from({ length: last - first + 1 }, (_, k) => first - 1 + k)

    for (const page of await part.copyPages(source, indices)) part.addPage(page)

    const file = `${name}-${i + 1}-p${first}-${last}.pdf`

    writeFileSync(join(dir, file), await part.save())
    written++
  }

  flor.log('segmentation_source', state.source)
  flor.log('documents', ranges.length)
  flor.log('ranges', ranges)
  console.log(`${name}: ${ranges.length} documents (${state.source}) → ${dir}`)
}

console.log(`apply: wrote ${written} PDFs`)
