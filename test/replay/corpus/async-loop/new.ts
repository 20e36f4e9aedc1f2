import * as flor from 'flordb'

import { extractFields, PdfStream } from './pdf.js'
import { LabelStore } from './labels.js'

const source = flor.arg('source', 'data/invoices/')
const model = flor.arg('model', 'layoutlm-v3')

const labels = await LabelStore.open('labels.sqlite')

async function main() {
  for await (const doc of flor.loop('document', PdfStream.open(source))) {
    const pages = await doc.pages()
    const fields = await extractFields(pages, { model })
    flor.log('page_count', pages.length)

    for (const field of flor.loop('field', fields)) {
      flor.log('confidence', field.confidence)

      if (field.confidence < 0.6) await labels.requestReview(doc.id, field)
    }
  }
}

await main()
