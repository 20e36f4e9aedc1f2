import { createCanvas, type Canvas } from '@napi-rs/canvas'
import type { PDFPageProxy } from 'pdfjs-dist/types/src/display/api.js'
import type { ImageStats } from './manifest.js'

/** Renders a page on a white background at `scale` pixels per PDF point. */
export const renderPage = async (page: PDFPageProxy, scale: number): Promise<Canvas> => {
  const viewport = page.getViewport({ scale })
  const canvas = createCanvas(Math.ceil(viewport.width), Math.ceil(viewport.height))
  const context = canvas.getContext('2d')

  context.fillStyle = '#fff'
  context.fillRect(0, 0, canvas.width, canvas.height)

  // pdf.js's types name the DOM canvas; in Node it draws on @napi-rs/canvas itself.
  await page.render({ canvas: canvas as never, canvasContext: context as never, viewport }).promise

  return canvas
}

const GRID = 8
const DARK = 160

/** Measures ink overall, in the top fifth, and on an 8×8 grid, from the rendered pixels. */
export const imageStats = (canvas: Canvas): ImageStats => {
  const { width, height } = canvas
  const { data } = canvas.getContext('2d').getImageData(0, 0, width, height)
  const cells = new Array<number>(GRID * GRID).fill(0)
  const cellSizes = new Array<number>(GRID * GRID).fill(0)
  const topRows = Math.floor(height / 5)
  let dark = 0
  let darkTop = 0

  // Every second pixel in each direction is plenty for these averages.
  for (let y = 0; y < height; y += 2) {
    const row = Math.min(GRID - 1, Math.floor((y * GRID) / height))

    for (let x = 0; x < width; x += 2) {
      const i = (y * width + x) * 4
      const grey = ((data[i] ?? 255) + (data[i + 1] ?? 255) + (data[i + 2] ?? 255)) / 3
      const cell = row * GRID + Math.min(GRID - 1, Math.floor((x * GRID) / width))
      const isDark = grey < DARK ? 1 : 0

      dark += isDark
      if (y < topRows) darkTop += isDark
      cells[cell] = (cells[cell] ?? 0) + (255 - grey) / 255
      cellSizes[cell] = (cellSizes[cell] ?? 0) + 1
    }
  }

  const samples = Math.ceil(height / 2) * Math.ceil(width / 2)
  const topSamples = Math.ceil(topRows / 2) * Math.ceil(width / 2)

  return {
    ink: round(dark / samples),
    inkTop: round(darkTop / Math.max(1, topSamples)),
    grid: cells.map((sum, i) => round(sum / Math.max(1, cellSizes[i] ?? 1))),
  }
}

const round = (n: number): number => Math.round(n * 10_000) / 10_000
