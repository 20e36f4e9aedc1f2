/**
 * A hindsight query over the feedback: for every PDF a person saved in the
 * app, which pages they turned into document starts, and which they took
 * back, compared with the prediction they were shown. Nothing here was
 * logged for this report; it joins what `infer` and the app logged anyway.
 *
 *   tsx feedback-report.ts
 */
import * as flor from 'flordb'
import { latestByDocument, stageFilename, timeOf, valuesByPage, type Row } from './lib/records.js'
import { firstPagesFromColors } from './lib/segmentation.js'

const rows = (await flor.dataframe('first_page', 'page_color')).toRecords() as Row[]
const saves = latestByDocument(rows, stageFilename('app.ts'), 'page_color')
const predictions = rows.filter(
  (row) => row.filename === stageFilename('infer.ts') && row.first_page != null,
)

if (saves.size === 0) console.log('No saves yet: open the app ("make run"), correct a PDF, save.')

for (const [doc, saved] of saves) {
  const savedAt = timeOf(saved[0] ?? {})
  // The prediction the person saw: the latest `infer` run before their save.
  const shownAt = Math.max(
    -Infinity,
    ...predictions.filter((row) => row.document_value === doc && timeOf(row) < savedAt).map(timeOf),
  )
  const shown = valuesByPage(
    predictions.filter((row) => row.document_value === doc && timeOf(row) === shownAt),
    'first_page',
  )
  const colors = [...valuesByPage(saved, 'page_color')].sort((a, b) => a[0] - b[0])
  const firsts = firstPagesFromColors(colors.map(([, color]) => Number(color)))
  const added: number[] = []
  const removed: number[] = []

  colors.forEach(([page], i) => {
    const before = Number(shown.get(page) ?? (page === 1 ? 1 : 0))

    if (firsts[i] === 1 && before === 0) added.push(page)
    if (firsts[i] === 0 && before === 1) removed.push(page)
  })

  console.log(
    `${doc}: saved ${new Date(savedAt).toISOString()}` +
      (Number.isFinite(shownAt)
        ? `, shown the prediction of ${new Date(shownAt).toISOString()}`
        : '') +
      `; new documents start on ${list(firsts.flatMap((f, i) => (f ? [i + 1] : [])))}` +
      `; the person added ${list(added)} and removed ${list(removed)}`,
  )
}

function list(pages: readonly number[]): string {
  return pages.length ? `page ${pages.join(', ')}` : 'nothing'
}
