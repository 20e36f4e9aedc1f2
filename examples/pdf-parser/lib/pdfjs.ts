import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import type { PDFDocumentProxy } from 'pdfjs-dist/types/src/display/api.js'

const require = createRequire(import.meta.url)

/** The folder of the installed pdfjs-dist, also served to the browser by the web app. */
export const pdfjsRoot = dirname(require.resolve('pdfjs-dist/package.json'))

export type { PDFDocumentProxy }

/**
 * Opens a PDF with pdf.js. Node 20 needs the legacy build; fonts that a PDF
 * names but does not embed (Helvetica, Times…) come from pdfjs-dist's own
 * files, so rendering never depends on the fonts a machine happens to have.
 * In Node, pdf.js reads these folders with `fs`: plain paths, not file URLs.
 */
export const openPdf = async (bytes: Uint8Array): Promise<PDFDocumentProxy> => {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs')

  // pdf.js detaches the buffer it is given and refuses Buffers: hand it a plain copy.
  const task = pdfjs.getDocument({
    data: new Uint8Array(bytes),
    standardFontDataUrl: join(pdfjsRoot, 'standard_fonts') + '/',
    wasmUrl: join(pdfjsRoot, 'wasm') + '/',
    isEvalSupported: false,
    verbosity: pdfjs.VerbosityLevel.ERRORS,
  })

  return task.promise
}
