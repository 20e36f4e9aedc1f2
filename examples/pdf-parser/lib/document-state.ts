import { existsSync, statSync } from 'node:fs'
import { readManifest, type Manifest } from './manifest.js'
import {
  latestByDocument,
  stageFilename,
  readRows,
  timeOf,
  valuesByPage,
  type Row,
} from './records.js'
import { colorsFromFirstPages, PALETTE_SIZE } from './segmentation.js'
import { listPdfs, manifestPath, type PdfFile, type Workspace } from './workspace.js'

/** Where the colours the viewer opens with come from. */
export type ColorSource = 'saved' | 'predicted' | 'none'

export interface PageState {
  readonly page: number
  readonly text: string
  readonly textSrc: string
  readonly color: number
  /** The model's probability that a document starts here, when `infer` has run. */
  readonly probability: number | null
}

export interface DocumentState {
  readonly name: string
  readonly source: ColorSource
  /** When the colours were saved (source `saved`) or predicted (`predicted`). */
  readonly at: string | null
  readonly pages: readonly PageState[]
}

export interface DocumentSummary {
  readonly name: string
  readonly pages: number
  readonly documents: number
  readonly source: ColorSource
}

/** The PDFs the app serves: those `split` has turned into pages. */
export class Library {
  readonly ws: Workspace
  readonly #manifests = new Map<string, { manifest: Manifest; mtime: number }>()

  constructor(ws: Workspace) {
    this.ws = ws
  }

  pdfs(): PdfFile[] {
    return listPdfs(this.ws).filter((pdf) => existsSync(manifestPath(this.ws, pdf.name)))
  }

  find(name: string): PdfFile | undefined {
    return this.pdfs().find((pdf) => pdf.name === name)
  }

  /** The PDF's manifest, read again when `split` has rewritten it since. */
  manifest(name: string): Manifest {
    const path = manifestPath(this.ws, name)
    const mtime = statSync(path).mtimeMs
    const cached = this.#manifests.get(name)

    if (cached?.mtime === mtime) return cached.manifest

    const manifest = readManifest(path)

    this.#manifests.set(name, { manifest, mtime })

    return manifest
  }

  /**
   * What the viewer shows for one PDF, read back from flordb: the colours a
   * person last saved, else the latest prediction of `infer`, else one document.
   */
  async state(name: string): Promise<DocumentState> {
    return this.#state(name, await readStateRows())
  }

  async summaries(): Promise<DocumentSummary[]> {
    const rows = await readStateRows()

    return this.pdfs().map((pdf) => {
      const state = this.#state(pdf.name, rows)
      const documents = state.pages.filter(
        (page, i) => i === 0 || page.color !== state.pages[i - 1]?.color,
      ).length

      return { name: pdf.name, pages: state.pages.length, documents, source: state.source }
    })
  }

  #state(name: string, rows: readonly Row[]): DocumentState {
    const manifest = this.manifest(name)
    const saved = latestByDocument(rows, stageFilename('app.ts'), 'page_color').get(name)
    const predicted = latestByDocument(rows, stageFilename('infer.ts'), 'first_page').get(name)
    const probabilities = predicted ? valuesByPage(predicted, 'first_page_p') : new Map()
    let colors: number[]
    let source: ColorSource = 'none'
    let at: string | null = null

    const savedColors = saved ? valuesByPage(saved, 'page_color') : undefined

    // Colours saved for another version of the PDF (another page count) no longer apply.
    if (savedColors && savedColors.size === manifest.pages.length) {
      const byPage = savedColors

      colors = manifest.pages.map((p) => clampColor(Number(byPage.get(p.page) ?? 0)))
      source = 'saved'
      at = new Date(timeOf(saved?.[0] ?? {})).toISOString()
    } else if (predicted) {
      const byPage = valuesByPage(predicted, 'first_page')

      colors = colorsFromFirstPages(manifest.pages.map((p) => Number(byPage.get(p.page) ?? 0)))
      source = 'predicted'
      at = new Date(timeOf(predicted[0] ?? {})).toISOString()
    } else {
      colors = manifest.pages.map(() => 0)
    }

    return {
      name,
      source,
      at,
      pages: manifest.pages.map((page, i) => ({
        page: page.page,
        text: page.text,
        textSrc: page.textSrc,
        color: colors[i] ?? 0,
        probability: probabilities.has(page.page) ? Number(probabilities.get(page.page)) : null,
      })),
    }
  }
}

const readStateRows = (): Promise<Row[]> => readRows('page_color', 'first_page', 'first_page_p')

const clampColor = (color: number): number =>
  Number.isInteger(color) && color >= 0 && color < PALETTE_SIZE ? color : 0
