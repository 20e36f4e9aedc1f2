import { readdirSync, readFileSync, existsSync } from 'node:fs'
import { basename, join, resolve } from 'node:path'

/** Where a pipeline reads PDFs from and writes everything it derives from them. */
export interface Workspace {
  /** The folder of input PDFs. */
  readonly pdfs: string
  /** The folder of derived files: page images, manifests, models, stamps. */
  readonly out: string
}

/** One input PDF; `name` (its file name without `.pdf`) is its key everywhere else. */
export interface PdfFile {
  readonly name: string
  readonly path: string
}

export const createWorkspace = (pdfs: string, out: string): Workspace => ({
  pdfs: resolve(pdfs),
  out: resolve(out),
})

export const listPdfs = (ws: Workspace): PdfFile[] => {
  if (!existsSync(ws.pdfs)) {
    throw new Error(`no folder of PDFs at ${ws.pdfs}; run "make samples" or pass pdfs=<folder>`)
  }

  return readdirSync(ws.pdfs)
    .filter((file) => file.toLowerCase().endsWith('.pdf'))
    .sort()
    .map((file) => ({ name: basename(file, file.slice(-4)), path: join(ws.pdfs, file) }))
}

export const pagesDir = (ws: Workspace, doc: string): string => join(ws.out, 'pages', doc)

export const manifestPath = (ws: Workspace, doc: string): string =>
  join(pagesDir(ws, doc), 'manifest.json')

export const pageImageName = (page: number): string => `page-${String(page).padStart(3, '0')}.png`

export const modelsDir = (ws: Workspace): string => join(ws.out, 'models')

/** The file the web app touches on every save, so that `make train` sees new feedback. */
export const feedbackStamp = (ws: Workspace): string => join(ws.out, 'feedback.stamp')

/** Hand labels: for each PDF, the 1-based pages on which a new document starts. */
export type LabelFile = Record<string, readonly number[]>

export const readLabelFile = (path: string): LabelFile => {
  if (!existsSync(path)) return {}

  const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'))

  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(`${path} must map each PDF name to the pages where a document starts`)
  }

  for (const [doc, pages] of Object.entries(parsed)) {
    if (!Array.isArray(pages) || !pages.every((p) => Number.isInteger(p) && p >= 1)) {
      throw new Error(`${path}: "${doc}" must list page numbers (1-based integers)`)
    }
  }

  return parsed as LabelFile
}
