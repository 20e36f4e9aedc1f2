import { FlorError } from '../errors.js'
import type { SqlValue } from '../store/backend.js'

/** A `--where` condition compiled to SQL over a run `r`, with its values bound. */
export interface WhereClause {
  sql: string
  params: SqlValue[]
}

type Token =
  | { kind: 'name'; text: string }
  | { kind: 'value'; value: SqlValue }
  | { kind: 'op'; text: string }
  | { kind: 'word'; text: 'and' | 'or' | 'not' }
  | { kind: 'paren'; text: '(' | ')' }

const runColumns = new Set(['tstamp', 'filename', 'status', 'version'])
const operators = ['<=', '>=', '!=', '<>', '=', '<', '>']

/**
 * Compiles a condition such as `lr >= 0.01 and epochs = 4 or filename = 'train.ts'`
 * over run-level values (what `flor.arg` and run-level `flor.log` recorded)
 * and the run's own columns. Only known names are accepted and every literal
 * is bound, so nothing a user types becomes SQL text.
 */
export function compileWhere(text: string, knownNames: ReadonlySet<string>): WhereClause {
  const tokens = tokenize(text)
  const params: SqlValue[] = []
  let position = 0

  const peek = () => tokens[position]
  const fail = (why: string): never => {
    throw new FlorError('E_USAGE', `--where "${text}": ${why}`)
  }

  const operand = (): string => {
    const token = tokens[position++]

    if (!token) return fail('the condition ends too soon')

    if (token.kind === 'value') {
      params.push(token.value)

      return '?'
    }

    if (token.kind !== 'name') return fail(`expected a name or a value, found "${describe(token)}"`)

    if (runColumns.has(token.text)) return `r.${token.text}`

    if (!knownNames.has(token.text)) {
      return fail(
        `"${token.text}" is not a run-level value; known: ${[...knownNames].sort().join(', ') || 'none'}`,
      )
    }

    params.push(token.text)

    // Run-level values: logged outside any loop; the first one of the name wins.
    return `(select case when w.vtype = 'number' then cast(w.value as real) else w.value end
      from logs w where w.run_id = r.run_id and w.ctx_id is null and w.name = ? order by w.seq limit 1)`
  }

  const comparison = (): string => {
    const next = peek()

    if (next?.kind === 'paren' && next.text === '(') {
      position++

      const inner = disjunction()

      if (tokens[position++]?.kind !== 'paren') fail('a parenthesis is not closed')

      return `(${inner})`
    }

    if (next?.kind === 'word' && next.text === 'not') {
      position++

      return `not ${comparison()}`
    }

    const left = operand()
    const op = tokens[position++]

    if (op?.kind !== 'op') return fail('expected a comparison such as =, !=, <, <=, >, >=')

    return `${left} ${op.text === '!=' ? '<>' : op.text} ${operand()}`
  }

  const conjunction = (): string => {
    const parts = [comparison()]

    while (peek()?.kind === 'word' && (peek() as { text: string }).text === 'and') {
      position++
      parts.push(comparison())
    }

    return parts.join(' and ')
  }

  const disjunction = (): string => {
    const parts = [conjunction()]

    while (peek()?.kind === 'word' && (peek() as { text: string }).text === 'or') {
      position++
      parts.push(conjunction())
    }

    return parts.join(' or ')
  }

  const sql = disjunction()

  if (position < tokens.length) fail(`unexpected "${describe(tokens[position]!)}"`)

  return { sql: `(${sql})`, params }
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = []
  const pattern =
    /\s*(?:(-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)|'((?:[^']|'')*)'|"((?:[^"]|"")*)"|(<=|>=|!=|<>|=|<|>)|([()])|([A-Za-z_][\w.-]*))/gy
  let match: RegExpExecArray | null
  let consumed = 0

  while (consumed < text.length && (match = pattern.exec(text))) {
    const [whole, number, single, double, op, paren, word] = match

    if (whole.trim() === '') break

    consumed = pattern.lastIndex

    if (number !== undefined) tokens.push({ kind: 'value', value: Number(number) })
    else if (single !== undefined)
      tokens.push({ kind: 'value', value: single.replaceAll("''", "'") })
    else if (double !== undefined)
      tokens.push({ kind: 'value', value: double.replaceAll('""', '"') })
    else if (op !== undefined && operators.includes(op)) tokens.push({ kind: 'op', text: op })
    else if (paren !== undefined) tokens.push({ kind: 'paren', text: paren as '(' | ')' })
    else if (word !== undefined) tokens.push(wordToken(word))
  }

  const rest = text.slice(consumed).trim()

  if (rest !== '') throw new FlorError('E_USAGE', `--where "${text}": cannot read "${rest}"`)

  return tokens
}

function wordToken(word: string): Token {
  const lower = word.toLowerCase()

  if (lower === 'and' || lower === 'or' || lower === 'not') return { kind: 'word', text: lower }
  if (lower === 'true') return { kind: 'value', value: 1 }
  if (lower === 'false') return { kind: 'value', value: 0 }

  return { kind: 'name', text: word }
}

const describe = (token: Token): string =>
  token.kind === 'value' ? String(token.value) : token.text
