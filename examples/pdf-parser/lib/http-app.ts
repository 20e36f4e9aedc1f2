import { createReadStream, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import {
  createServer,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type Server,
  type ServerResponse,
} from 'node:http'
import { extname, join } from 'node:path'
import * as flor from 'flordb'
import ts from 'typescript'
import type { Library } from './document-state.js'
import { GroupCommit } from './group-commit.js'
import { messagePage, overviewPage, viewerPage } from './html.js'
import { pdfjsRoot } from './pdfjs.js'
import { PALETTE_SIZE } from './segmentation.js'
import { feedbackStamp, pageImageName, pagesDir } from './workspace.js'

/** The largest save body accepted: a colour per page of a 10,000-page PDF fits many times over. */
export const MAX_BODY_BYTES = 64 * 1024

/** A request the app refuses, with the status and the message the client sees. */
export class HttpError extends Error {
  override readonly name = 'HttpError'
  readonly status: number

  constructor(status: number, message: string) {
    super(message)
    this.status = status
  }
}

const TYPES: Record<string, string> = {
  '.mjs': 'text/javascript; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
  '.pdf': 'application/pdf',
  '.wasm': 'application/wasm',
}

// The pdf.js files the viewer may load; nothing else under node_modules is reachable.
const PDFJS_FILES =
  /^(build\/pdf(\.worker)?\.mjs|standard_fonts\/[\w-]+\.(pfb|ttf)|wasm\/[\w-]+\.(wasm|js)|cmaps\/[\w-]+\.bcmap)$/

const SECURITY_HEADERS: OutgoingHttpHeaders = {
  'x-content-type-options': 'nosniff',
  'content-security-policy':
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'none'",
}

const webRoot = new URL('../web/', import.meta.url)

/**
 * The web app: an overview of the PDFs, a viewer per PDF, and the save
 * endpoint that logs each page's colour to flordb and commits.
 */
export const createApp = (library: Library): Server => {
  const viewerJs = transpile(readFileSync(new URL('viewer.ts', webRoot), 'utf8'))
  const styleCss = readFileSync(new URL('style.css', webRoot), 'utf8')
  const commits = new GroupCommit(flor.commit)

  return createServer((req, res) => {
    route(library, req, res, { viewerJs, styleCss, commits }).catch((error: unknown) => {
      const status = error instanceof HttpError ? error.status : 500
      const message = error instanceof HttpError ? error.message : 'internal error'

      if (!(error instanceof HttpError)) console.error(error)
      if (res.headersSent) return void res.destroy()

      const wantsJson = (req.url ?? '').startsWith('/api/')

      // A refused body may still be arriving; closing the connection stops it.
      res.setHeader('connection', 'close')
      if (wantsJson) sendJson(res, status, { error: message })
      else send(res, status, 'text/html; charset=utf-8', messagePage(`Error ${status}`, message))
    })
  })
}

interface Assets {
  readonly viewerJs: string
  readonly styleCss: string
  readonly commits: GroupCommit
}

const route = async (
  library: Library,
  req: IncomingMessage,
  res: ServerResponse,
  assets: Assets,
): Promise<void> => {
  const url = new URL(req.url ?? '/', 'http://localhost')
  const parts = url.pathname.split('/').slice(1).map(decodeSegment)
  const method = req.method ?? 'GET'
  const [head, name, tail, extra] = parts

  if (head === 'api' && name === 'documents' && tail !== undefined && extra === 'colors') {
    allow(method, 'POST')

    return saveColors(library, known(library, tail), req, res, assets.commits)
  }

  allow(method, 'GET', 'HEAD')

  if (url.pathname === '/') {
    return send(res, 200, 'text/html; charset=utf-8', overviewPage(await library.summaries()))
  }

  if (head === 'view' && name !== undefined && parts.length === 2) {
    return send(res, 200, 'text/html; charset=utf-8', viewerPage(known(library, name)))
  }

  if (head === 'api' && name === 'documents' && parts.length === 2) {
    return sendJson(res, 200, await library.summaries())
  }

  if (head === 'api' && name === 'documents' && tail !== undefined && parts.length === 3) {
    return sendJson(res, 200, await library.state(known(library, tail)))
  }

  if (head === 'pdf' && name?.endsWith('.pdf') && parts.length === 2) {
    const pdf = library.find(name.slice(0, -4))

    if (!pdf) throw new HttpError(404, `no PDF named "${name}"`)

    return sendFile(res, pdf.path)
  }

  if (head === 'pages' && name !== undefined && parts.length === 3) {
    const doc = known(library, name)
    const number = Number(tail?.replace(/\.png$/, ''))
    const count = library.manifest(doc).pages.length

    if (!tail?.endsWith('.png') || !Number.isInteger(number) || number < 1 || number > count) {
      throw new HttpError(404, `"${doc}" has no page "${tail}"; pages run from 1 to ${count}`)
    }

    return sendFile(res, join(pagesDir(library.ws, doc), pageImageName(number)))
  }

  if (head === 'pdfjs') {
    const path = parts.slice(1).join('/')

    if (!PDFJS_FILES.test(path)) throw new HttpError(404, `no pdf.js file "${path}"`)

    return sendFile(res, join(pdfjsRoot, path), 'public, max-age=86400')
  }

  if (url.pathname === '/static/viewer.js') {
    return send(res, 200, TYPES['.js'] as string, assets.viewerJs)
  }

  if (url.pathname === '/static/style.css') {
    return send(res, 200, TYPES['.css'] as string, assets.styleCss)
  }

  throw new HttpError(404, `nothing at ${url.pathname}`)
}

/**
 * Logs the colour of every page of one PDF under `document` × `page`, then
 * commits, so that `train` sees the save at once. The body is checked whole
 * before anything is logged; saves that arrive together share a commit.
 */
const saveColors = async (
  library: Library,
  name: string,
  req: IncomingMessage,
  res: ServerResponse,
  commits: GroupCommit,
): Promise<void> => {
  const type = req.headers['content-type'] ?? ''

  if (!/^application\/json\s*(;|$)/i.test(type)) {
    throw new HttpError(415, 'send the colours as JSON (Content-Type: application/json)')
  }

  const pages = library.manifest(name).pages.map((page) => page.page)
  const colors = parseColors(await readBody(req), pages.length)

  flor.iteration('document', name, () => {
    for (const page of flor.loop('page', pages)) flor.log('page_color', colors[page - 1])
  })
  await commits.commit()

  // Make compares file times: this is how `make train` learns there is new feedback.
  writeFileSync(feedbackStamp(library.ws), `${new Date().toISOString()} ${name}\n`)

  const documents = colors.filter((color, i) => i === 0 || color !== colors[i - 1]).length

  sendJson(res, 200, { document: name, pages: pages.length, documents })
}

export const parseColors = (body: string, pages: number): number[] => {
  let parsed: unknown

  try {
    parsed = JSON.parse(body)
  } catch {
    throw new HttpError(400, 'the body is not valid JSON')
  }

  const colors = (parsed as { colors?: unknown } | null)?.colors

  if (!Array.isArray(colors)) {
    throw new HttpError(400, 'expected {"colors": [...]}, one colour per page')
  }

  if (colors.length !== pages) {
    throw new HttpError(400, `expected ${pages} colours, one per page, got ${colors.length}`)
  }

  const bad = colors.findIndex((c) => !Number.isInteger(c) || c < 0 || c >= PALETTE_SIZE)

  if (bad >= 0) {
    throw new HttpError(
      400,
      `page ${bad + 1}: colour ${JSON.stringify(colors[bad])} is not an integer from 0 to ${PALETTE_SIZE - 1}`,
    )
  }

  return colors as number[]
}

const readBody = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0)
    const tooLarge = new HttpError(413, `the body is larger than ${MAX_BODY_BYTES} bytes`)

    if (declared > MAX_BODY_BYTES) return reject(tooLarge)

    const chunks: Buffer[] = []
    let size = 0

    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > MAX_BODY_BYTES) {
        req.pause()
        reject(tooLarge)
      } else {
        chunks.push(chunk)
      }
    })
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })

const known = (library: Library, name: string): string => {
  if (!library.find(name)) throw new HttpError(404, `no split PDF named "${name}"`)

  return name
}

const allow = (method: string, ...methods: string[]): void => {
  if (!methods.includes(method)) {
    throw new HttpError(405, `${method} is not allowed here; use ${methods.join(' or ')}`)
  }
}

const decodeSegment = (segment: string): string => {
  try {
    return decodeURIComponent(segment)
  } catch {
    throw new HttpError(400, `"${segment}" is not a valid URL path segment`)
  }
}

const send = (res: ServerResponse, status: number, type: string, body: string | Buffer): void => {
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'content-type': type,
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
  })
  res.end(res.req.method === 'HEAD' ? undefined : body)
}

const sendJson = (res: ServerResponse, status: number, value: unknown): void =>
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(value))

const sendFile = (res: ServerResponse, path: string, cache = 'no-cache'): void => {
  if (!existsSync(path)) throw new HttpError(404, 'that file has not been generated yet')

  res.writeHead(200, {
    ...SECURITY_HEADERS,
    'content-type': TYPES[extname(path)] ?? 'application/octet-stream',
    'content-length': statSync(path).size,
    'cache-control': cache,
  })

  if (res.req.method === 'HEAD') return void res.end()

  createReadStream(path).pipe(res)
}

/** The viewer is written in TypeScript; browsers get it with the types stripped, once per start. */
const transpile = (source: string): string =>
  ts.transpileModule(source, {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
  }).outputText
