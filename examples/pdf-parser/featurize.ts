/**
 * Turns each split page into the facts the model and the app read, logged
 * under `document` × `page`: flordb is the feature store.
 *
 *   tsx featurize.ts --kwargs pdfs=samples out=build
 *
 * Logged per page: `text_src` (text layer or OCR), `page_text`, `headings`,
 * `page_numbers`, and the model's inputs (`FEATURE_NAMES` in lib/features.ts).
 */
import { existsSync } from 'node:fs'
import * as flor from 'flordb'
import { FEATURE_NAMES, featurizePages } from './lib/features.js'
import { readManifest } from './lib/manifest.js'
import { createWorkspace, listPdfs, manifestPath } from './lib/workspace.js'

const ws = createWorkspace(flor.arg('pdfs', 'samples'), flor.arg('out', 'build'))
const docs = listPdfs(ws)
  .map((pdf) => pdf.name)
  .filter((doc) => existsSync(manifestPath(ws, doc)))
let pages = 0

for (const doc of flor.loop('document', docs)) {
  const manifest = readManifest(manifestPath(ws, doc))
  const features = featurizePages(manifest.pages)

  for (const number of flor.loop(
    'page',
    manifest.pages.map((page) => page.page),
  )) {
    const page = manifest.pages[number - 1]
    const facts = features[number - 1]

    if (!page || !facts) continue

    flor.log('text_src', page.textSrc)
    flor.log('page_text', page.text)
    flor.log('headings', facts.headings)
    flor.log('page_numbers', facts.pageNumbers)

    for (const name of FEATURE_NAMES) flor.log(name, facts.values[name])

    pages++
  }
}

console.log(`featurized ${pages} pages of ${docs.length} PDFs`)
