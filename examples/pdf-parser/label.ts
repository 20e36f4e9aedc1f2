/**
 * Logs the hand labels in `<pdfs>/labels.json` as `first_page` (1 where a new
 * document starts, else 0) for every page of each labelled PDF. These are the
 * initial labels; corrections saved in the app take precedence in `train`.
 *
 *   tsx label.ts --kwargs pdfs=samples out=build
 *
 * labels.json maps a PDF's name (without .pdf) to its first pages:
 * { "board-packet": [1, 3, 5] }. PDFs it does not name are left unlabelled.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import * as flor from 'flordb'
import { readManifest } from './lib/manifest.js'
import { createWorkspace, listPdfs, manifestPath, readLabelFile } from './lib/workspace.js'

const ws = createWorkspace(flor.arg('pdfs', 'samples'), flor.arg('out', 'build'))
const labels = readLabelFile(join(ws.pdfs, 'labels.json'))
const docs = listPdfs(ws)
  .map((pdf) => pdf.name)
  .filter((doc) => doc in labels && existsSync(manifestPath(ws, doc)))

for (const doc of flor.loop('document', docs)) {
  const starts = new Set(labels[doc])
  const pages = readManifest(manifestPath(ws, doc)).pages.map((page) => page.page)

  for (const page of flor.loop('page', pages)) {
    flor.log('first_page', page === 1 || starts.has(page) ? 1 : 0)
  }
}

console.log(`labelled ${docs.length} PDFs from ${join(ws.pdfs, 'labels.json')}`)
