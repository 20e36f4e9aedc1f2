import type { DocumentSummary } from './document-state.js'

/** Escapes text for HTML content and double-quoted attributes. */
export const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

const page = (title: string, bodyClass: string, body: string): string => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/static/style.css">
</head>
<body class="${bodyClass}">
${body}
</body>
</html>
`

const SOURCE_LABEL = {
  saved: 'checked by a person',
  predicted: 'predicted',
  none: 'not predicted yet',
}

export const overviewPage = (pdfs: readonly DocumentSummary[]): string =>
  page(
    'PDF parser',
    'overview',
    `<header>
<h1>PDF parser</h1>
<p>Each PDF may be several documents stapled together. Open one to see where each document starts, correct it, and save.</p>
</header>
<main>
${pdfs.length === 0 ? '<p class="empty">No PDFs have been split yet: run <code>make run</code>.</p>' : ''}
<ul class="pdfs">
${pdfs
  .map((pdf) => {
    const href = `/view/${encodeURIComponent(pdf.name)}`
    const image = `/pages/${encodeURIComponent(pdf.name)}/1.png`

    return `<li><a href="${escapeHtml(href)}" data-pdf="${escapeHtml(pdf.name)}">
<img src="${escapeHtml(image)}" alt="" loading="lazy">
<span class="name">${escapeHtml(pdf.name)}</span>
<span class="meta">${pdf.pages} pages · ${pdf.documents} document${pdf.documents === 1 ? '' : 's'} · ${SOURCE_LABEL[pdf.source]}</span>
</a></li>`
  })
  .join('\n')}
</ul>
</main>`,
  )

export const viewerPage = (name: string): string =>
  page(
    `${name} · PDF parser`,
    'viewer',
    `<header>
<a class="back" href="/">All PDFs</a>
<h1>${escapeHtml(name)}</h1>
<p class="help">Click a page to change its colour: a new colour starts a new document. Shift-click recolours the page and the rest of its document.</p>
<div class="actions"><button id="save" type="button" disabled>Save</button> <span id="status" role="status"></span></div>
</header>
<main id="pages" data-document="${escapeHtml(name)}" aria-busy="true"></main>
<script type="module" src="/static/viewer.js"></script>`,
  )

export const messagePage = (title: string, message: string): string =>
  page(
    title,
    'message',
    `<main><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p><p><a href="/">All PDFs</a></p></main>`,
  )
