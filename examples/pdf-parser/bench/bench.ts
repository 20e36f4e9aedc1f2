/**
 * Measures the figures the README quotes, in a throwaway git repository:
 *
 *   npx tsx bench/bench.ts            (from examples/pdf-parser)
 *   npx tsx bench/bench.ts ~/scans    (held out: your PDFs and their truth.json)
 *
 * 1. split and featurize throughput on the sample PDFs and on a held-out set
 *    (pages per second of wall-clock time, process start-up included);
 * 2. accuracy and recall of `infer` on the held-out set (seed 2, never used
 *    for training), with the rule it falls back on and with the model that
 *    `train` fits to the samples' labels;
 * 3. save latency: 50 simultaneous saves over HTTP, and 20 one at a time.
 */
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { join, resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import * as flor from 'flordb'
import { PDFDocument, StandardFonts } from 'pdf-lib'
import { latestByDocument, valuesByPage, type Row } from '../lib/records.js'
import {
  createAppRepo,
  make,
  removeAppRepo,
  stage,
  startApp,
} from '../test/helpers/app-workspace.js'

// A folder of your own PDFs with a truth.json replaces the generated held-out set.
const ownHeldOut = process.argv[2] ? resolve(process.argv[2]) : undefined
const repo = await createAppRepo('pdf-parser-bench')
const lines: string[] = []
const report = (line: string): void => {
  lines.push(line)
  console.log(line)
}

try {
  process.chdir(repo)
  await make(repo, 'samples')

  if (ownHeldOut) cpSync(ownHeldOut, join(repo, 'heldout'), { recursive: true })
  else await stage(repo, 'samples.ts', 'pdfs=heldout', 'seed=2', 'count=6')

  report(
    `load average before: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} on ${cpus().length} cores\n`,
  )
  report('| measure | value |')
  report('| --- | --- |')

  for (const [set, out] of [
    ['samples', 'build'],
    ['heldout', 'build/heldout'],
  ] as const) {
    const kwargs = [`pdfs=${set}`, `out=${out}`]
    const split = await timed(() => stage(repo, 'split.ts', ...kwargs))
    const pages = Number(/\((\d+) pages/.exec(split.result)?.[1])
    const featurize = await timed(() => stage(repo, 'featurize.ts', ...kwargs))

    const ocr = Number(/(\d+) by OCR/.exec(split.result)?.[1] ?? 0)

    report(`| split, ${set}: ${pages} pages, ${ocr} by OCR | ${rate(pages, split.ms)} |`)
    report(`| featurize, ${set}: ${pages} pages | ${rate(pages, featurize.ms)} |`)
  }

  const truth = JSON.parse(readFileSync(join(repo, 'heldout', 'truth.json'), 'utf8')) as Record<
    string,
    number[]
  >

  await stage(repo, 'infer.ts', 'pdfs=heldout', 'out=build/heldout')
  report(`| infer on held-out, rule fallback | ${score(truth, await predictions())} |`)

  await stage(repo, 'label.ts', 'pdfs=samples', 'out=build')
  await stage(repo, 'train.ts', 'pdfs=samples', 'out=build')
  // Models live in the samples' output folder; held-out inference must find them there.
  await stage(repo, 'infer.ts', 'pdfs=heldout', 'out=build')
  report(
    `| infer on held-out, model trained on the samples | ${score(truth, await predictions())} |`,
  )

  await saveLatency(repo)
} finally {
  removeAppRepo(repo)
}

async function predictions(): Promise<Map<string, Row[]>> {
  const rows = (await flor.dataframe('first_page')).toRecords() as Row[]

  // The bench reads the copy's store, where the scripts sit at the repository's root.
  return latestByDocument(rows, 'infer.ts', 'first_page')
}

/** Accuracy over every page after the first of each PDF, and recall of the boundaries there. */
function score(truth: Record<string, number[]>, predicted: Map<string, Row[]>): string {
  let pages = 0
  let correct = 0
  let boundaries = 0
  let found = 0

  for (const [doc, starts] of Object.entries(truth)) {
    const byPage = valuesByPage(predicted.get(doc) ?? [], 'first_page')

    for (const [page, value] of byPage) {
      if (page === 1) continue

      const actual = starts.includes(page) ? 1 : 0

      pages++
      if (Number(value) === actual) correct++
      if (actual) boundaries++
      if (actual && Number(value) === 1) found++
    }
  }

  return `acc ${(correct / pages).toFixed(3)}, recall ${(found / boundaries).toFixed(3)} (${pages} pages, ${boundaries} boundaries)`
}

async function saveLatency(dir: string): Promise<void> {
  const names = Array.from({ length: 50 }, (_, i) => `batch-${String(i).padStart(2, '0')}`)

  mkdirSync(join(dir, 'batch'))

  for (const name of names) {
    const pdf = await PDFDocument.create()
    const font = await pdf.embedFont(StandardFonts.Helvetica)

    for (let p = 1; p <= 3; p++) pdf.addPage().drawText(`${name} ${p}`, { x: 72, y: 700, font })
    writeFileSync(join(dir, 'batch', `${name}.pdf`), await pdf.save())
  }

  await stage(dir, 'split.ts', 'pdfs=batch', 'out=build/batch')

  const app = await startApp(dir, 'pdfs=batch', 'out=build/batch')
  const save = async (name: string, colors: number[]): Promise<number> => {
    const started = performance.now()
    const response = await fetch(`${app.url}/api/documents/${name}/colors`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ colors }),
    })

    if (!response.ok) throw new Error(`save of ${name} failed: ${await response.text()}`)

    return performance.now() - started
  }

  try {
    const together = await Promise.all(names.map((name, i) => save(name, [i % 4, 0, 1])))
    const alone: number[] = []

    for (const name of names.slice(0, 20)) alone.push(await save(name, [1, 1, 2]))

    report(`| save latency, 50 saves at once | ${percentiles(together)} |`)
    report(`| save latency, 20 saves one at a time | ${percentiles(alone)} |`)
  } finally {
    await app.stop()
  }
}

async function timed<T>(work: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = performance.now()
  const result = await work()

  return { result, ms: performance.now() - started }
}

function rate(pages: number, ms: number): string {
  return `${((pages * 1000) / ms).toFixed(1)} pages/s (${(ms / 1000).toFixed(1)} s)`
}

function percentiles(ms: number[]): string {
  const sorted = [...ms].sort((a, b) => a - b)
  const at = (q: number): number =>
    sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0

  return `p50 ${Math.round(at(0.5))} ms, p95 ${Math.round(at(0.95))} ms`
}
