import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import * as flor from 'flordb'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  chromiumArgs,
  chromiumPath,
  createAppRepo,
  make,
  removeAppRepo,
  startApp,
  type RunningApp,
} from './helpers/app-workspace.js'

// mailroom-scans holds four documents, starting on pages 1, 2, 5 and 6
// (samples/truth.json), and has no hand labels. Before any training the rule
// misses the complaint that starts on page 6, which has lost its page numbers,
// so the viewer opens with three documents. Shift-clicking page 6 gives it and
// page 7 a colour of their own: the person's correction.
const PDF = 'mailroom-scans'
const PREDICTED = [0, 1, 1, 1, 2, 2, 2]
const CORRECTED = [0, 1, 1, 1, 2, 3, 3]

/**
 * Where the README's screenshot comes from:
 * `PDF_PARSER_SCREENSHOT=examples/pdf-parser/docs/viewer.png npx vitest run examples/pdf-parser`.
 * Resolved now, before the test moves into its own repository.
 */
const screenshotTo = process.env.PDF_PARSER_SCREENSHOT
  ? resolve(process.env.PDF_PARSER_SCREENSHOT)
  : undefined

describe('the viewer, in Chromium', () => {
  let repo: string | undefined
  let app: RunningApp | undefined
  let browser: BrowserContext | undefined
  let profile: string | undefined
  let home = process.cwd()

  beforeAll(async () => {
    // Not a skip: without a browser this test has nothing to say, and says why.
    if (!existsSync(chromiumPath)) {
      throw new Error(
        `no Chromium at ${chromiumPath}: apt-get install -y chromium, or set CHROMIUM_PATH`,
      )
    }

    repo = await createAppRepo('pdf-parser-e2e')
    // flordb finds its store from the working directory: this test reads the app's.
    home = process.cwd()
    process.chdir(repo)
    await make(repo, 'all')
    app = await startApp(repo)
    profile = mkdtempSync(join(tmpdir(), 'pdf-parser-chromium-'))
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath,
      args: chromiumArgs,
      headless: true,
      viewport: { width: 1240, height: 820 },
    })
  }, 300_000)

  afterAll(async () => {
    await browser?.close()
    await app?.stop()
    if (profile) rmSync(profile, { recursive: true, force: true })
    process.chdir(home)
    removeAppRepo(repo)
  })

  it('shows the prediction, saves a correction, reopens it, and trains on it', async () => {
    const page = await open(browser as BrowserContext, (app as RunningApp).url)

    expect(await colors(page)).toEqual(PREDICTED)
    expect(await page.locator('#status').getAttribute('data-state')).toBe('predicted')

    await page.locator('.page[data-page="6"]').click({ modifiers: ['Shift'] })
    expect(await colors(page)).toEqual(CORRECTED)
    expect(await page.locator('.page[data-page="6"]').getAttribute('data-first')).toBe('true')
    expect(await page.locator('.page[data-page="7"]').getAttribute('data-first')).toBe('false')

    await page.locator('#save').click()
    await page.locator('#status[data-state="saved"]').waitFor()

    // What the app logged, as flordb gives it back.
    const saved = (await flor.dataframe('page_color'))
      .toRecords()
      .filter((row) => row.filename === 'app.ts' && row.document_value === PDF)

    expect(saved.map((row) => [row.page, row.page_color])).toEqual(
      CORRECTED.map((color, i) => [i + 1, color]),
    )

    // Reopened, the viewer shows the saved colours, not the prediction.
    await page.reload()
    await page.locator('body[data-rendered="true"]').waitFor()
    expect(await colors(page)).toEqual(CORRECTED)
    expect(await page.locator('#status').getAttribute('data-state')).toBe('saved')

    if (screenshotTo) {
      const shot = join(repo as string, 'viewer.png')

      // Scrolled to the correction: the last two documents, below the sticky header.
      await page.evaluate(`{
        const row = document.querySelector('.page[data-page="5"]').closest('.row')
        const header = document.querySelector('header').getBoundingClientRect().height
        window.scrollTo(0, row.getBoundingClientRect().top + window.scrollY - header - 16)
      }`)
      await page.screenshot({ path: shot })
      copyFileSync(shot, screenshotTo)
    }

    // The next training run learns mailroom-scans from the correction, and the
    // hand-labelled PDFs from labels.json.
    await make(repo as string, 'train')

    const training = (await flor.dataframe('label', 'label_src'))
      .toRecords()
      .filter((row) => row.filename === 'train.ts')
    const learned = training
      .filter((row) => row.document_value === PDF)
      .map((row) => [row.page_value, row.label, row.label_src])

    expect(learned).toContainEqual([6, 1, 'feedback'])
    expect(learned).toContainEqual([7, 0, 'feedback'])
    expect(
      new Set(training.filter((row) => row.document_value !== PDF).map((row) => row.label_src)),
    ).toEqual(new Set(['labels']))
  })
})

const open = async (browser: BrowserContext, url: string): Promise<Page> => {
  const page = await browser.newPage()
  const errors: string[] = []

  page.on('pageerror', (error) => errors.push(error.message))
  await page.goto(url)
  await page.locator(`a[data-pdf="${PDF}"]`).click()
  await page.locator('body[data-rendered]').waitFor()
  expect(errors).toEqual([])
  expect(await page.locator('body').getAttribute('data-rendered')).toBe('true')

  return page
}

const colors = (page: Page): Promise<number[]> =>
  page
    .locator('.page')
    .evaluateAll((figures) => figures.map((f) => Number(f.getAttribute('data-color'))))
