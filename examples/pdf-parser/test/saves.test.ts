import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import * as flor from 'flordb'
import { PDFDocument, StandardFonts } from 'pdf-lib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createAppRepo,
  removeAppRepo,
  stage,
  startApp,
  type RunningApp,
} from './helpers/app-workspace.js'

const PDFS = 50
const PAGES = 3

/** Three pages and four colours make 64 colourings: each PDF gets its own, so a mix-up shows. */
const colorsOf = (i: number): number[] => [i % 4, (i >> 2) % 4, (i >> 4) % 4]

const nameOf = (i: number): string => `batch-${String(i).padStart(2, '0')}`

let repo: string | undefined
let app: RunningApp | undefined
let home = process.cwd()

beforeAll(async () => {
  repo = await createAppRepo('pdf-parser-saves')
  home = process.cwd()
  process.chdir(repo)
  mkdirSync(join(repo, 'pdfs'))

  for (let i = 0; i < PDFS; i++) {
    const pdf = await PDFDocument.create()
    const font = await pdf.embedFont(StandardFonts.Helvetica)

    for (let p = 1; p <= PAGES; p++) {
      pdf
        .addPage([612, 792])
        .drawText(`${nameOf(i)}, page ${p} of ${PAGES}`, { x: 72, y: 700, font })
    }

    writeFileSync(join(repo, 'pdfs', `${nameOf(i)}.pdf`), await pdf.save())
  }

  await stage(repo, 'split.ts', 'pdfs=pdfs', 'out=build')
  app = await startApp(repo, 'pdfs=pdfs', 'out=build')
}, 300_000)

afterAll(async () => {
  await app?.stop()
  process.chdir(home)
  removeAppRepo(repo)
})

const post = (path: string, body: string, type = 'application/json'): Promise<Response> =>
  fetch(`${(app as RunningApp).url}${path}`, {
    method: 'POST',
    headers: { 'content-type': type },
    body,
  })

const savedRows = async (): Promise<Record<string, unknown>[]> =>
  (await flor.dataframe('page_color')).toRecords().filter((row) => row.filename === 'app.ts')

describe('saving page colours over HTTP', () => {
  it('refuses malformed and oversized saves with a 4xx and a message, and logs nothing', async () => {
    const path = `/api/documents/${nameOf(0)}/colors`
    const cases: [Promise<Response>, number, RegExp][] = [
      [post(path, '{"colors": [0, 1, 2]}', 'text/plain'), 415, /Content-Type: application\/json/],
      [post(path, '{"colors": [0, 1,'), 400, /not valid JSON/],
      [post(path, '[0, 1, 2]'), 400, /expected \{"colors"/],
      [post(path, '{"colors": [0, 1]}'), 400, /expected 3 colours/],
      [post(path, '{"colors": [0, 1, 7]}'), 400, /page 3: colour 7/],
      [post(path, '{"colors": [0, 1.5, 2]}'), 400, /page 2: colour 1.5/],
      [post(path, `{"colors": [${'0,'.repeat(40_000)}0]}`), 413, /larger than/],
      [post('/api/documents/nope/colors', '{"colors": [0]}'), 404, /no split PDF named "nope"/],
      [fetch(`${(app as RunningApp).url}${path}`), 405, /use POST/],
    ]

    for (const [request, status, message] of cases) {
      const response = await request

      expect(response.status).toBe(status)
      expect(((await response.json()) as { error: string }).error).toMatch(message)
    }

    expect(await savedRows()).toEqual([])
  })

  it('persists 50 simultaneous saves of different PDFs, each under its own document', async () => {
    const latencies: number[] = []
    const responses = await Promise.all(
      Array.from({ length: PDFS }, async (_, i) => {
        const started = performance.now()
        const response = await post(
          `/api/documents/${nameOf(i)}/colors`,
          JSON.stringify({ colors: colorsOf(i) }),
        )

        latencies.push(performance.now() - started)

        return response
      }),
    )

    expect(responses.map((r) => r.status)).toEqual(responses.map(() => 200))

    const rows = await savedRows()

    expect(rows).toHaveLength(PDFS * PAGES)

    for (let i = 0; i < PDFS; i++) {
      const mine = rows.filter((row) => row.document_value === nameOf(i))

      expect(mine.map((row) => [row.page_value, row.page_color])).toEqual(
        colorsOf(i).map((color, p) => [p + 1, color]),
      )
      // A save is logged whole within one run (saves arriving together share a commit).
      expect(new Set(mine.map((row) => (row.tstamp as Date).getTime())).size).toBe(1)
    }

    // And the app reads each one back.
    for (let i = 0; i < PDFS; i++) {
      const state = (await (
        await fetch(`${(app as RunningApp).url}/api/documents/${nameOf(i)}`)
      ).json()) as { source: string; pages: { color: number }[] }

      expect(state.source).toBe('saved')
      expect(state.pages.map((p) => p.color)).toEqual(colorsOf(i))
    }

    latencies.sort((a, b) => a - b)
    console.log(
      `50 simultaneous saves: p50 ${Math.round(latencies[24] ?? 0)} ms, ` +
        `p95 ${Math.round(latencies[47] ?? 0)} ms`,
    )
  })
})
