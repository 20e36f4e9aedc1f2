import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { createWorker, OEM, PSM, type Worker } from 'tesseract.js'
import type { TextLine } from './manifest.js'

const require = createRequire(import.meta.url)

/**
 * The English LSTM model shipped in @tesseract.js-data/eng. Passing a local
 * folder keeps tesseract.js off its default CDN: nothing is downloaded.
 */
export const langPath = join(
  dirname(require.resolve('@tesseract.js-data/eng/package.json')),
  '4.0.0_best_int',
)

export interface OcrResult {
  readonly text: string
  readonly lines: readonly TextLine[]
  /** Tesseract's mean word confidence, 0–100. */
  readonly confidence: number
}

/** One tesseract.js worker, started on first use and reused for every page. */
export class Ocr {
  #worker: Promise<Worker> | undefined

  /**
   * Reads the text of a page image rendered at `scale` pixels per point; line
   * sizes are converted back to points so that they compare with text-layer sizes.
   */
  async recognize(png: Buffer, scale: number, pageHeight: number): Promise<OcrResult> {
    this.#worker ??= createWorker('eng', OEM.LSTM_ONLY, {
      langPath,
      gzip: true,
      // 'none' also stops tesseract.js from writing eng.traineddata into the cwd.
      cacheMethod: 'none',
    })

    const worker = await this.#worker

    // tesseract.js reads a page as one block of text by default, which drops a
    // title set apart from the body (INVOICE at the top right); a page needs
    // layout analysis. Telling it the resolution also keeps it from guessing aloud.
    await worker.setParameters({
      tessedit_pageseg_mode: PSM.AUTO,
      user_defined_dpi: String(Math.round(72 * scale)),
    })
    const { data } = await worker.recognize(png, {}, { text: true, blocks: true })
    const lines: TextLine[] = []

    for (const block of data.blocks ?? []) {
      for (const paragraph of block.paragraphs) {
        for (const line of paragraph.lines) {
          const text = line.text.replace(/\s+/g, ' ').trim()

          if (!text) continue

          lines.push({
            text,
            size: round(line.rowAttributes.rowHeight / scale),
            top: round(line.bbox.y0 / scale / pageHeight),
          })
        }
      }
    }

    return { text: lines.map((line) => line.text).join('\n'), lines, confidence: data.confidence }
  }

  async close(): Promise<void> {
    const worker = this.#worker

    this.#worker = undefined
    if (worker) await (await worker).terminate()
  }
}

const round = (n: number): number => Math.round(n * 1000) / 1000
