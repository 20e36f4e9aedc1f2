import { execFileSync } from 'node:child_process'
import { dirname, join, relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as flor from 'flordb'

/** A dataframe row as `toRecords()` gives it. */
export type Row = Record<string, unknown>

/** The pipeline's scripts: a record's `filename` says which of them wrote it. */
export type Stage =
  | 'samples.ts'
  | 'split.ts'
  | 'featurize.ts'
  | 'label.ts'
  | 'train.ts'
  | 'infer.ts'
  | 'app.ts'
  | 'apply.ts'

const exampleRoot = join(dirname(fileURLToPath(import.meta.url)), '..')
let prefix: string | undefined

/**
 * The `filename` flordb records for a stage: the script's path from the root
 * of its git repository (`examples/pdf-parser/train.ts` in the flordb repo,
 * `train.ts` in a copy of this folder), so another project's `train.ts` in
 * the same repository is never mistaken for ours.
 */
export const stageFilename = (stage: Stage): string => {
  prefix ??= repoPrefix()

  return prefix + stage
}

const repoPrefix = (): string => {
  try {
    const top = execFileSync('git', ['rev-parse', '--show-toplevel'], {
      cwd: exampleRoot,
      encoding: 'utf8',
    }).trim()
    const path = relative(top, exampleRoot).split(sep).join('/')

    return path ? `${path}/` : ''
  } catch {
    return ''
  }
}

export const readRows = async (...names: string[]): Promise<Row[]> =>
  (await flor.dataframe(...names)).toRecords() as Row[]

export const timeOf = (row: Row): number => new Date(row.tstamp as string | Date).getTime()

/**
 * The rows that the script `filename` wrote in its latest run for each
 * document, in page order: a stage's newest output replaces what it wrote
 * before, one document at a time (the app saves documents one by one).
 */
export const latestByDocument = (
  rows: readonly Row[],
  filename: string,
  name: string,
): Map<string, Row[]> => {
  const latest = new Map<string, number>()
  const kept = rows.filter(
    (row) => row.filename === filename && row[name] != null && row.document_value != null,
  )

  for (const row of kept) {
    const doc = String(row.document_value)

    latest.set(doc, Math.max(latest.get(doc) ?? -Infinity, timeOf(row)))
  }

  const byDocument = new Map<string, Row[]>()

  for (const row of kept) {
    const doc = String(row.document_value)

    if (timeOf(row) !== latest.get(doc)) continue

    byDocument.set(doc, [...(byDocument.get(doc) ?? []), row])
  }

  for (const docRows of byDocument.values()) docRows.sort((a, b) => pageOf(a) - pageOf(b))

  return byDocument
}

/** The 1-based page a row belongs to: the iterated page number, else the loop's iteration. */
export const pageOf = (row: Row): number => Number(row.page_value ?? row.page)

/**
 * One value per page from a document's rows; when a page was logged more than
 * once in the same run, the last record wins, as the last save would.
 */
export const valuesByPage = (rows: readonly Row[], name: string): Map<number, unknown> =>
  new Map(rows.filter((row) => row[name] != null).map((row) => [pageOf(row), row[name]]))
