import { createCanvas } from '@napi-rs/canvas'
import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from 'pdf-lib'
import { openPdf } from './pdfjs.js'
import type { Random } from './random.js'
import { renderPage } from './render.js'
import type { Block, DocumentStyle, FontName } from './sample-corpus.js'

/** US Letter, in points. */
export const PAGE_WIDTH = 612
export const PAGE_HEIGHT = 792

const MARGIN = 72
const BODY_TOP = PAGE_HEIGHT - 72
const BODY_BOTTOM = 72
const HEADER_Y = PAGE_HEIGHT - 42
const FOOTER_Y = 36

const STANDARD: Record<FontName, StandardFonts> = {
  sans: StandardFonts.Helvetica,
  sansBold: StandardFonts.HelveticaBold,
  serif: StandardFonts.TimesRoman,
  serifBold: StandardFonts.TimesRomanBold,
  mono: StandardFonts.Courier,
}

/** One line of text placed on a page; `y` is its baseline in PDF space. */
export interface Placed {
  readonly text: string
  readonly font: FontName
  readonly size: number
  readonly x: number
  readonly y: number
}

export type Fonts = Record<FontName, PDFFont>

export const embedFonts = async (doc: PDFDocument): Promise<Fonts> => {
  const entries = await Promise.all(
    Object.entries(STANDARD).map(async ([name, font]) => [name, await doc.embedFont(font)]),
  )

  return Object.fromEntries(entries) as Fonts
}

/**
 * Flows a document's blocks onto exactly `pages` pages: the opening on the
 * first, body blocks until the last page is reached (where it stops at a
 * random point), then as much of the closing as fits.
 */
export const layoutDocument = (
  style: DocumentStyle,
  pages: number,
  fonts: Fonts,
  random: Random,
): Placed[][] => {
  const laidOut: Placed[][] = [[]]
  let y = BODY_TOP

  const place = (block: Block): boolean => {
    const lines = wrap(block, fonts)
    const height = (block.gap ?? 0) + lines.length * block.size * 1.3

    if (y - height < BODY_BOTTOM) {
      if (laidOut.length === pages) return false

      laidOut.push([])
      y = BODY_TOP
    } else {
      y -= block.gap ?? 0
    }

    const page = laidOut.at(-1) as Placed[]

    for (const line of lines) {
      page.push(at({ ...block, text: line }, y - block.size, fonts))
      y -= block.size * 1.3
    }

    return true
  }

  style.opening.forEach(place)

  for (let i = 0; i < 500; i++) {
    if (!place(style.body())) break
    if (laidOut.length === pages && random.next() < 0.3) break
  }

  for (const block of style.closing) {
    if (!place(block)) break
  }

  laidOut.forEach((page, i) => {
    const header = style.header?.(i + 1, laidOut.length)
    const footer = style.footer?.(i + 1, laidOut.length)

    if (header) page.unshift(at(header, HEADER_Y, fonts))
    if (footer) page.push(at(footer, FOOTER_Y, fonts))
  })

  return laidOut
}

export const drawPage = (page: PDFPage, placed: readonly Placed[], fonts: Fonts): void => {
  for (const line of placed) {
    page.drawText(line.text, {
      x: line.x,
      y: line.y,
      size: line.size,
      font: fonts[line.font],
      color: rgb(0.05, 0.05, 0.05),
    })
  }
}

/**
 * Turns a laid-out page into what a scanner would produce: a slightly rotated,
 * speckled, greyscale JPEG with no text layer, so that only OCR can read it.
 */
export const scanPage = async (placed: readonly Placed[], random: Random): Promise<Uint8Array> => {
  const paper = await PDFDocument.create()
  const fonts = await embedFonts(paper)

  drawPage(paper.addPage([PAGE_WIDTH, PAGE_HEIGHT]), placed, fonts)

  const pdf = await openPdf(await paper.save())
  const rendered = await renderPage(await pdf.getPage(1), 1.5)

  await pdf.destroy()

  const canvas = createCanvas(rendered.width, rendered.height)
  const context = canvas.getContext('2d')

  context.fillStyle = '#fff'
  context.fillRect(0, 0, canvas.width, canvas.height)
  context.translate(canvas.width / 2, canvas.height / 2)
  context.rotate(((random.next() - 0.5) * 1.2 * Math.PI) / 180)
  context.drawImage(rendered, -rendered.width / 2, -rendered.height / 2)
  context.setTransform(1, 0, 0, 1, 0, 0)

  const image = context.getImageData(0, 0, canvas.width, canvas.height)
  const { data } = image

  for (let i = 0; i < data.length; i += 4) {
    // Grey paper, softened contrast, and the odd speck of toner.
    const grey = ((data[i] ?? 0) + (data[i + 1] ?? 0) + (data[i + 2] ?? 0)) / 3
    const speck = random.next() < 0.002 ? 120 : 0
    const value = Math.max(0, Math.min(255, 30 + grey * 0.85 - speck))

    data[i] = data[i + 1] = data[i + 2] = value
  }

  context.putImageData(image, 0, 0)

  return canvas.toBuffer('image/jpeg', 75)
}

const at = (block: Block, y: number, fonts: Fonts): Placed => {
  const width = fonts[block.font].widthOfTextAtSize(block.text, block.size)
  const x =
    block.align === 'center'
      ? (PAGE_WIDTH - width) / 2
      : block.align === 'right'
        ? PAGE_WIDTH - MARGIN - width
        : MARGIN

  return { text: block.text, font: block.font, size: block.size, x, y }
}

const wrap = (block: Block, fonts: Fonts): string[] => {
  const font = fonts[block.font]
  const lines: string[] = []
  let line = ''

  for (const word of block.text.split(' ')) {
    const next = line ? `${line} ${word}` : word

    if (line && font.widthOfTextAtSize(next, block.size) > PAGE_WIDTH - 2 * MARGIN) {
      lines.push(line)
      line = word
    } else {
      line = next
    }
  }

  return line ? [...lines, line] : lines
}
