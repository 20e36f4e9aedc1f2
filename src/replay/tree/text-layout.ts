import ts from './typescript.js'

export interface Insertion {
  at: number
  // characters of the old text replaced, from `at`
  removed: number
  text: string
  // offset of the statement itself within `text`
  offset: number
}

export function lineStartOf(text: string, pos: number): number {
  return text.lastIndexOf('\n', pos - 1) + 1
}

// The end of the line holding `pos`, before its line break (`\n` or `\r\n`).
export function lineEndOf(text: string, pos: number): number {
  const end = text.indexOf('\n', pos)

  if (end === -1) return text.length

  return text[end - 1] === '\r' ? end - 1 : end
}

function nextLineStart(text: string, pos: number): number | undefined {
  const end = text.indexOf('\n', pos)

  return end === -1 ? undefined : end + 1
}

// Writes the inserted text with the old file's line breaks, keeping the statement's offset true.
export function withLineBreaks(insertion: Insertion, old: string): Insertion {
  if (!old.includes('\r\n')) return insertion

  const crlf = (text: string) => text.replace(/\r?\n/g, '\r\n')

  return {
    ...insertion,
    text: crlf(insertion.text),
    offset: crlf(insertion.text.slice(0, insertion.offset)).length,
  }
}

export function indentAt(text: string, pos: number): string {
  const start = lineStartOf(text, pos)

  return /^[ \t]*/.exec(text.slice(start, pos))?.[0] ?? ''
}

// The step by which the file indents: a tab, or the most frequent increase in leading spaces.
export function indentUnitOf(text: string): string {
  const lines = text.split('\n').filter((line) => line.trim() !== '')

  if (lines.filter((line) => line.startsWith('\t')).length > lines.length / 10) return '\t'

  const steps = new Map<number, number>()
  let previous = 0

  for (const line of lines) {
    const width = /^ */.exec(line)?.[0].length ?? 0

    if (width > previous) steps.set(width - previous, (steps.get(width - previous) ?? 0) + 1)
    previous = width
  }

  let unit = 2
  let seen = 0

  for (const [step, count] of steps) {
    if (count > seen) {
      unit = step
      seen = count
    }
  }

  return ' '.repeat(unit)
}

// Moves a multi-line snippet from one indentation to another, level for level. Lines that begin
// inside a template literal are its contents, not code, and stay as they are.
export function reindent(
  snippet: string,
  from: { base: string; unit: string },
  to: { base: string; unit: string },
): string {
  const templates = templateRanges(snippet)
  const [first = '', ...rest] = snippet.split('\n')
  let offset = first.length + 1
  const moved = rest.map((line) => {
    const start = offset

    offset += line.length + 1

    if (templates.some(([from, to]) => start > from && start < to)) return line
    if (line.trim() === '' || !line.startsWith(from.base)) return line

    let tail = line.slice(from.base.length)
    let levels = 0

    while (from.unit !== '' && tail.startsWith(from.unit)) {
      tail = tail.slice(from.unit.length)
      levels++
    }

    return to.base + to.unit.repeat(levels) + tail
  })

  return [first, ...moved].join('\n')
}

function templateRanges(snippet: string): [number, number][] {
  if (!snippet.includes('`')) return []

  const sf = ts.createSourceFile('snippet.ts', snippet, ts.ScriptTarget.Latest, true)
  const ranges: [number, number][] = []

  const visit = (node: ts.Node): void => {
    if (ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateExpression(node)) {
      ranges.push([node.getStart(sf), node.end])

      return
    }

    ts.forEachChild(node, visit)
  }

  visit(sf)

  return ranges
}

// Whether the file ends its statements with semicolons, judged by the majority.
export function usesSemicolons(sf: ts.SourceFile): boolean {
  let with_ = 0
  let without = 0

  const visit = (node: ts.Node): void => {
    if (ts.isExpressionStatement(node) || ts.isVariableStatement(node)) {
      if (sf.text[node.end - 1] === ';') with_++
      else without++
    }

    ts.forEachChild(node, visit)
  }

  visit(sf)

  return with_ > without
}

export function withSemicolonStyle(statement: string, semicolons: boolean): string {
  const trimmed = statement.replace(/;\s*$/, '')

  return semicolons ? `${trimmed};` : trimmed
}

// Where a line may be opened after `node`: past any comment that trails it on its line.
export function insertAfter(
  text: string,
  node: ts.Node,
  indent: string,
  snippet: string,
  blankLine = false,
): Insertion {
  let end = node.end

  for (const range of ts.getTrailingCommentRanges(text, end) ?? []) end = range.end

  const lineEnd = lineEndOf(text, end)
  const open = blankLine ? '\n\n' : '\n'

  if (text.slice(end, lineEnd).trim() === '') {
    const following = nextLineStart(text, end)
    const afterBlank = following === undefined ? undefined : nextLineStart(text, following)
    const blank = following !== undefined && text.slice(following, lineEndOf(text, following))

    // The old code already sets off what follows: take the statement's place behind that blank line.
    if (blankLine && afterBlank !== undefined && blank !== false && blank.trim() === '') {
      return { at: afterBlank, removed: 0, text: `${indent}${snippet}\n`, offset: indent.length }
    }

    return {
      at: lineEnd,
      removed: 0,
      text: `${open}${indent}${snippet}`,
      offset: open.length + indent.length,
    }
  }

  // More code follows on the same line: give both the statement and that code a line of their own.
  return {
    at: node.end,
    removed: 0,
    text: `${open}${indent}${snippet}\n${indent}`,
    offset: open.length + indent.length,
  }
}

// Before `node`, and before the comments that lead into it, which belong to it.
export function insertBefore(
  text: string,
  node: ts.Node,
  indent: string,
  snippet: string,
): Insertion {
  const comments = ts.getLeadingCommentRanges(text, node.pos) ?? []
  let at = node.getStart()

  for (const range of comments) {
    if (text.slice(lineStartOf(text, range.pos), range.pos).trim() === '') {
      at = range.pos
      break
    }
  }

  const lineStart = lineStartOf(text, at)

  if (text.slice(lineStart, at).trim() === '') {
    return { at: lineStart, removed: 0, text: `${indent}${snippet}\n`, offset: indent.length }
  }

  return { at, removed: 0, text: `${snippet}\n${indent}`, offset: 0 }
}

export function snippetOf(text: string, max = 50): string {
  const line = (text.split('\n')[0] ?? '').trim()

  return line.length > max ? `${line.slice(0, max - 1)}…` : line
}
