/**
 * The viewer: renders every page of one PDF with pdf.js, tints each page by
 * document, shows the page's extracted text beside it, and lets a person
 * recolour pages and save. Served as JavaScript by the app (types stripped).
 */
import type * as PdfJs from 'pdfjs-dist'

interface PageState {
  page: number
  text: string
  textSrc: string
  color: number
  probability: number | null
}

interface DocumentState {
  name: string
  source: 'saved' | 'predicted' | 'none'
  at: string | null
  pages: PageState[]
}

const PALETTE_SIZE = 4
const PAGE_WIDTH = 280

const main = document.querySelector<HTMLElement>('#pages')
const saveButton = document.querySelector<HTMLButtonElement>('#save')
const status = document.querySelector<HTMLElement>('#status')

if (!main || !saveButton || !status) throw new Error('the viewer page is missing its elements')

const name = main.dataset.document ?? ''
const api = `/api/documents/${encodeURIComponent(name)}`
let colors: number[] = []
let saving = false
let dirty = false

const say = (message: string, state: string): void => {
  status.textContent = message
  status.dataset.state = state
}

const isFirst = (i: number): boolean => i === 0 || colors[i] !== colors[i - 1]

const paint = (): void => {
  main.querySelectorAll<HTMLElement>('.page').forEach((figure, i) => {
    const color = colors[i] ?? 0

    figure.dataset.color = String(color)
    figure.dataset.first = String(isFirst(i))
    figure.setAttribute(
      'aria-label',
      `Page ${i + 1}, colour ${color + 1} of ${PALETTE_SIZE}${isFirst(i) ? ', starts a document' : ''}`,
    )
  })
}

/** Cycles one page's colour; with Shift, the rest of its document follows it. */
const recolor = (i: number, wholeRun: boolean): void => {
  const old = colors[i] ?? 0
  const next = (old + 1) % PALETTE_SIZE
  let end = i + 1

  while (wholeRun && end < colors.length && colors[end] === old) end++
  for (let j = i; j < end; j++) colors[j] = next

  dirty = true
  saveButton.disabled = false
  say('Unsaved changes', 'dirty')
  paint()
}

const save = async (): Promise<void> => {
  if (saving) return

  saving = true
  saveButton.disabled = true
  say('Saving…', 'saving')

  try {
    const response = await fetch(`${api}/colors`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ colors }),
    })
    const reply = (await response.json()) as { error?: string; documents?: number }

    if (!response.ok) throw new Error(reply.error ?? `the server answered ${response.status}`)

    dirty = false
    say(`Saved: ${reply.documents} document${reply.documents === 1 ? '' : 's'}`, 'saved')
  } catch (error) {
    saveButton.disabled = false
    say(`Not saved: ${(error as Error).message}`, 'error')
  } finally {
    saving = false
  }
}

const figureFor = (
  state: PageState,
  i: number,
): { figure: HTMLElement; canvas: HTMLCanvasElement } => {
  const row = document.createElement('section')
  const figure = document.createElement('figure')
  const canvas = document.createElement('canvas')
  const tint = document.createElement('div')
  const badge = document.createElement('span')
  const caption = document.createElement('figcaption')
  const aside = document.createElement('aside')
  const source = document.createElement('p')
  const text = document.createElement('pre')

  row.className = 'row'
  figure.className = 'page'
  figure.dataset.page = String(state.page)
  figure.tabIndex = 0
  figure.setAttribute('role', 'button')
  tint.className = 'tint'
  badge.className = 'badge'
  badge.textContent = 'new document'
  caption.textContent = `Page ${state.page}`
  source.className = 'source'
  source.textContent =
    (state.textSrc === 'ocr' ? 'Text read by OCR' : 'Text from the PDF') +
    (state.probability === null ? '' : ` · P(new document) ${state.probability.toFixed(2)}`)
  text.textContent = state.text || '(no text found)'

  figure.append(canvas, tint, badge, caption)
  aside.append(source, text)
  row.append(figure, aside)
  main.append(row)

  figure.addEventListener('click', (event) => recolor(i, event.shiftKey))
  figure.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter' && event.key !== ' ') return

    event.preventDefault()
    recolor(i, event.shiftKey)
  })

  return { figure, canvas }
}

const render = async (): Promise<void> => {
  const response = await fetch(api)

  if (!response.ok) throw new Error(`could not load ${name}: ${response.status}`)

  const state = (await response.json()) as DocumentState
  // Served by the app from its own node_modules: no CDN, and the worker version always matches.
  const pdfjs = (await import('/pdfjs/build/pdf.mjs' as string)) as typeof PdfJs

  pdfjs.GlobalWorkerOptions.workerSrc = '/pdfjs/build/pdf.worker.mjs'
  colors = state.pages.map((page) => page.color)
  say(
    state.source === 'saved'
      ? `Saved ${new Date(state.at ?? '').toLocaleString()}`
      : state.source === 'predicted'
        ? 'Predicted: check the colours and save'
        : 'Not predicted yet: colour the pages and save',
    state.source,
  )

  const pdf = await pdfjs.getDocument({
    url: `/pdf/${encodeURIComponent(name)}.pdf`,
    standardFontDataUrl: '/pdfjs/standard_fonts/',
    wasmUrl: '/pdfjs/wasm/',
    cMapUrl: '/pdfjs/cmaps/',
    // Without eval, the page also works under the app's content security policy.
    isEvalSupported: false,
  }).promise
  const figures = state.pages.map(figureFor)

  paint()

  // TODO: every page is rendered up front, one after another; a PDF of several
  // hundred pages keeps the CPU busy for a while. Render pages as they scroll
  // into view (IntersectionObserver) when such PDFs show up.
  for (const [i, { canvas }] of figures.entries()) {
    const page = await pdf.getPage(i + 1)
    const base = page.getViewport({ scale: 1 })
    const viewport = page.getViewport({ scale: (PAGE_WIDTH / base.width) * devicePixelRatio })

    canvas.width = Math.floor(viewport.width)
    canvas.height = Math.floor(viewport.height)
    canvas.style.width = `${PAGE_WIDTH}px`
    await page.render({ canvas, viewport }).promise
  }

  main.setAttribute('aria-busy', 'false')
  document.body.dataset.rendered = 'true'
}

saveButton.addEventListener('click', () => void save())
// Leaving with unsaved corrections asks first; the browser words the question.
window.addEventListener('beforeunload', (event) => {
  if (dirty) event.preventDefault()
})
render().catch((error: unknown) => {
  say(`Could not show this PDF: ${(error as Error).message}`, 'error')
  document.body.dataset.rendered = 'error'
})
