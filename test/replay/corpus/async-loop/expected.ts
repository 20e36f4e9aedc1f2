import * as flor from 'flordb'

import { extractFields, PdfStream } from './pdf.js'
import { LabelStore } from './labels.js'

const source = flor.arg('source', 'data/invoices/')
const model = flor.arg('model', 'layoutlm-v2')

const labels = await LabelStore.open('labels.sqlite')

async function main() {
  for await (const document of flor.loop('document', PdfStream.open(source))) {
    const pageList = await document.pages()
    const fields = await extractFields(pageList, { model })
    flor.log('page_count', pageList.length)

    for (const field of flor.loop('field', fields)) {
      flor.log('confidence', field.confidence)

      if (field.confidence < 0.5) await labels.requestReview(document.id, field)
    }
  }
}

await main()
