import ts from './tree/typescript.js'

import { enclosingStatement, findLogStatements } from './discover.js'
import type { LogStatement } from './discover.js'
import { anchorsOf, liftable } from './tree/anchors.js'
import {
  findFlorBindings,
  isFlorCall,
  literalName,
  parseSource,
  skipParens,
} from './tree/flor-bindings.js'
import type { FlorBindings } from './tree/flor-bindings.js'
import { Refusal, refuse } from './tree/refusal.js'
import type { TreeNode } from './tree/syntax-tree.js'
import {
  indentAt,
  indentUnitOf,
  reindent,
  snippetOf,
  usesSemicolons,
  withLineBreaks,
  withSemicolonStyle,
} from './tree/text-layout.js'
import type { Insertion } from './tree/text-layout.js'
import { translateStatement } from './tree/translate-statement.js'
import { verifyPlacement } from './tree/verify-placement.js'
import { findStatementNode, florCallee, lineOf, matchVersions } from './tree/versions.js'

export type Propagation =
  | { ok: true; source: string; line: number; renames: Record<string, string>; anchor: string }
  | { ok: false; reason: string }

export interface PropagateInput {
  newSource: string
  oldSource: string
  statement: LogStatement
  file: string
}

export function propagate(input: PropagateInput): Propagation {
  try {
    return place(input)
  } catch (error) {
    if (error instanceof Refusal) return { ok: false, reason: error.message }

    throw error
  }
}

function place(input: PropagateInput): Propagation {
  const { newSource, oldSource, statement, file } = input
  const newSf = parseSource(newSource, file)
  const newBindings = findFlorBindings(newSf)
  const node = findStatementNode(newSf, statement.start, statement.end)
  const call = node && findLogCall(node, statement.name, newBindings)

  if (node === undefined || call === undefined) {
    refuse(`line ${statement.line} of the new version holds no flor.log('${statement.name}')`)
  }

  const oldSf = parseSource(oldSource, file)

  // Refuses early, before any matching, when the old version has no way to call flor.log.
  florCallee('log', findFlorBindings(oldSf))

  if (findLogStatements(oldSource, file).statements.some((s) => s.name === statement.name)) {
    refuse(`the old version already logs '${statement.name}'`)
  }

  if (isStandalone(node, call)) return insertStatement(input, newSf, oldSf, node, newBindings)

  return wrapExpression(input, newSf, oldSf, call, newBindings)
}

// A statement of its own: put it next to its old neighbours.
function insertStatement(
  input: PropagateInput,
  newSf: ts.SourceFile,
  oldSf: ts.SourceFile,
  node: ts.Statement,
  newBindings: FlorBindings,
): Propagation {
  let unit = node
  let versions = matchVersions(input, newSf, oldSf, newBindings, unit)

  for (let guard = liftable(unit, versions); guard; guard = liftable(unit, versions)) {
    unit = guard
    versions = matchVersions(input, newSf, oldSf, newBindings, unit)
  }

  const translation = translateStatement(unit, versions)
  const anchors = anchorsOf(unit, versions)
  const from = {
    base: indentAt(input.newSource, unit.getStart()),
    unit: indentUnitOf(input.newSource),
  }
  const indentUnit = indentUnitOf(input.oldSource)
  const semicolons = usesSemicolons(oldSf)
  const guarded = unit === node ? '' : ', with the `if` that guards it'
  // A statement set off by a blank line, like a guarding `if`, keeps it after its old neighbour.
  const blankLine = /\n[ \t]*\n[ \t]*$/.test(input.newSource.slice(0, unit.getStart()))
  let firstReason: string | undefined

  for (const anchor of anchors) {
    const moved = reindent(translation.text, from, { base: anchor.indent, unit: indentUnit })
    const snippet = unit === node ? withSemicolonStyle(moved, semicolons) : moved
    const insertion = withLineBreaks(anchor.insert(snippet, blankLine), input.oldSource)
    const source = splice(input.oldSource, insertion)
    const start = insertion.at + insertion.offset
    const inserted = { start, end: insertion.at + insertion.text.length }
    const verdict = verifyPlacement(
      versions,
      translation,
      source,
      anchor.describe + guarded,
      inserted,
    )

    if (verdict.ok) return verdict

    firstReason ??= verdict.reason
  }

  return { ok: false, reason: firstReason ?? 'no trustworthy anchor' }
}

// A log that wraps an expression: wrap the same expression in the old version.
function wrapExpression(
  input: PropagateInput,
  newSf: ts.SourceFile,
  oldSf: ts.SourceFile,
  call: ts.CallExpression,
  newBindings: FlorBindings,
): Propagation {
  const [nameArg, value] = call.arguments

  if (nameArg === undefined || value === undefined) {
    refuse(`flor.log('${input.statement.name}') has no value to log`)
  }

  const source = input.newSource
  const valueText = source.slice(value.getStart(newSf), value.end)
  const callStart = call.getStart(newSf)
  const unwrapped = source.slice(0, callStart) + valueText + source.slice(call.end)
  const unwrappedSf = parseSource(unwrapped, input.file)
  const expression = outermostAt(unwrappedSf, callStart, callStart + valueText.length)
  const versions = matchVersions(input, unwrappedSf, oldSf, newBindings)
  const tree = expression && versions.newTree.byNode.get(expression)
  const counterpart = tree && versions.mapping.dstOf(tree)

  if (expression === undefined || tree === undefined || counterpart === undefined) {
    refuse(
      `\`${snippetOf(valueText)}\`, which the statement logs, has no counterpart in the old version`,
    )
  }

  const translation = translateStatement(expression, versions)
  const oldText = input.oldSource.slice(counterpart.start, counterpart.end)

  if (!sameUpToRenames(tree, counterpart, translation.renames)) {
    refuse(
      `the logged expression changed: \`${snippetOf(valueText)}\` now, ` +
        `\`${snippetOf(oldText)}\` in the old version`,
    )
  }

  const callee = florCallee('log', versions.oldBindings)
  const wrapped = `${callee}(${source.slice(nameArg.getStart(newSf), nameArg.end)}, ${oldText})`
  const result = splice(input.oldSource, {
    at: counterpart.start,
    removed: counterpart.end - counterpart.start,
    text: wrapped,
    offset: 0,
  })
  const describe = `wrapping \`${snippetOf(oldText)}\` (line ${lineOf(versions.oldTree, counterpart)})`

  // The expression stays where it was, in its old names: only the callee is new there.
  const inPlace = { ...translation, expected: new Map(), thisOwner: undefined }

  return verifyPlacement(versions, inPlace, result, describe, {
    start: counterpart.start,
    end: counterpart.start + wrapped.length,
  })
}

function isStandalone(node: ts.Statement, call: ts.CallExpression): boolean {
  if (!ts.isExpressionStatement(node)) return false

  let expression = skipParens(node.expression)

  while (ts.isAwaitExpression(expression) || ts.isVoidExpression(expression)) {
    expression = skipParens(expression.expression)
  }

  return expression === call
}

function findLogCall(
  node: ts.Node,
  name: string,
  bindings: FlorBindings,
): ts.CallExpression | undefined {
  let found: ts.CallExpression | undefined

  const visit = (child: ts.Node): void => {
    if (found) return

    if (isFlorCall(child, 'log', bindings) && literalName(child.arguments[0]) === name) {
      found = child

      return
    }

    ts.forEachChild(child, visit)
  }

  visit(node)

  return found
}

function outermostAt(sf: ts.SourceFile, start: number, end: number): ts.Node | undefined {
  let found: ts.Node | undefined

  const visit = (node: ts.Node): void => {
    if (found || node.end < start || node.pos > end) return

    if (node.getStart(sf) === start && node.end === end && enclosingStatement(node) !== node) {
      found = node

      return
    }

    ts.forEachChild(node, visit)
  }

  visit(sf)

  return found
}

function sameUpToRenames(a: TreeNode, b: TreeNode, renames: Record<string, string>): boolean {
  if (a.kind !== b.kind || a.children.length !== b.children.length) return false

  if (a.value !== b.value) {
    const renamed = a.kind === ts.SyntaxKind.Identifier && renames[a.value] === b.value

    if (!renamed) return false
  }

  return a.children.every((child, i) => {
    const other = b.children[i]

    return other !== undefined && sameUpToRenames(child, other, renames)
  })
}

function splice(text: string, insertion: Insertion): string {
  return text.slice(0, insertion.at) + insertion.text + text.slice(insertion.at + insertion.removed)
}
