import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'

/** A line of page text, top to bottom, with what layout tells about it. */
export interface TextLine {
  readonly text: string
  /** Font size in PDF points (for OCR, the row height scaled back to points). */
  readonly size: number
  /** Distance of the line's top from the page's top, as a fraction of the page height. */
  readonly top: number
}

/** Where a page's text came from: the PDF's own text layer, or OCR of its rendering. */
export type TextSource = 'text' | 'ocr'

export interface PageRecord {
  readonly page: number
  readonly image: string
  readonly width: number
  readonly height: number
  readonly textSrc: TextSource
  readonly text: string
  readonly lines: readonly TextLine[]
  readonly ocrConfidence: number | null
  readonly ink: ImageStats
}

/** Cheap facts about a page's rendering, computed once by `split`. */
export interface ImageStats {
  /** Fraction of dark pixels on the page. */
  readonly ink: number
  /** Fraction of dark pixels in the top fifth, where a first page puts its title. */
  readonly inkTop: number
  /** An 8×8 grid of mean darkness (0 white, 1 black), row by row: the page's layout. */
  readonly grid: readonly number[]
}

/** What `split` writes for one PDF, and what every later stage reads. */
export interface Manifest {
  readonly document: string
  readonly source: string
  readonly sha256: string
  /** A hash of the split code and its settings: a manifest from other code is stale. */
  readonly splitter: string
  readonly pages: readonly PageRecord[]
}

export const readManifest = (path: string): Manifest => JSON.parse(readFileSync(path, 'utf8'))

/** Writes through a temporary file, so a killed `split` never leaves half a manifest. */
export const writeManifest = (path: string, manifest: Manifest): void => {
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(`${path}.tmp`, JSON.stringify(manifest, null, 1))
  renameSync(`${path}.tmp`, path)
}
