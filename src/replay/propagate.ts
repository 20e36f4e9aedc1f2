import ts from 'typescript'

import { enclosingStatement, findLogStatements } from './discover.js'
import type { LogStatement } from './discover.js'
import {
  findFlorBindings,
  isFlorCall,
  literalName,
  parseSource,
  skipParens,
} from './tree/flor-bindings.js'
import type { FlorBindings } from './tree/flor-bindings.js'
import { counterpartOf } from './tree/counterparts.js'
import type { Mapping } from './tree/mapping.js'
import { createNameResolver, isReference } from './tree/name-resolver.js'
import type { NameResolver } from './tree/name-resolver.js'
import { buildTree, HashSpace } from './tree/syntax-tree.js'
import type { SyntaxTree, TreeNode } from './tree/syntax-tree.js'
import {
  indentAt,
  indentUnitOf,
  insertAfter,
  insertBefore,
  reindent,
  snippetOf,
  usesSemicolons,
  withLineBreaks,
  withSemicolonStyle,
} from './tree/text-layout.js'
import type { Insertion } from './tree/text-layout.js'
import { matchTrees } from './tree/tree-matcher.js'

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

class Refusal extends Error {
  override readonly name = 'Refusal'
}

function refuse(reason: string): never {
  throw new Refusal(reason)
}

// Both versions, parsed, matched and resolved: what every step of the placement consults.
interface Versions {
  readonly input: PropagateInput
  readonly newSource: string
  readonly newTree: SyntaxTree
  readonly oldTree: SyntaxTree
  readonly mapping: Mapping
  readonly newNames: NameResolver
  readonly oldNames: NameResolver
  readonly newBindings: FlorBindings
  readonly oldBindings: FlorBindings
}

interface Translation {
  text: string
  renames: Record<string, string>
  // old name -> the binding it must resolve to where the statement lands
  expected: Map<string, { newName: string; declStart: number | undefined }>
  // where the old counterpart of the method or function that gives `this` its meaning starts
  thisOwner: number | undefined
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

function matchVersions(
  input: PropagateInput,
  newSf: ts.SourceFile,
  oldSf: ts.SourceFile,
  newBindings: FlorBindings,
  skip?: ts.Node,
): Versions {
  const hashes = new HashSpace()
  const newTree = buildTree(newSf, hashes, (node) => node === skip)
  const oldTree = buildTree(oldSf, hashes)

  return {
    input,
    newSource: newSf.text,
    newTree,
    oldTree,
    mapping: matchTrees(newTree, oldTree),
    newNames: createNameResolver(newSf),
    oldNames: createNameResolver(oldSf),
    newBindings,
    oldBindings: findFlorBindings(oldSf),
  }
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

  const translation = translate(unit, versions)
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
    const verdict = verify(versions, translation, source, anchor.describe + guarded, inserted)

    if (verdict.ok) return verdict

    firstReason ??= verdict.reason
  }

  return { ok: false, reason: firstReason ?? 'no trustworthy anchor' }
}

// An `if` that exists only to guard the statement goes along with it: `if (i % 100 === 0) log(...)`.
function liftable(unit: ts.Statement, versions: Versions): ts.IfStatement | undefined {
  const parent = unit.parent

  if (ts.isIfStatement(parent)) {
    return parent.thenStatement === unit && !parent.elseStatement ? parent : undefined
  }

  const owner = parent.parent

  if (!ts.isBlock(parent) || parent.statements.length !== 1 || !ts.isIfStatement(owner)) {
    return undefined
  }

  if (owner.thenStatement !== parent || owner.elseStatement) return undefined

  // When the old version has the block already, the statement goes inside it instead.
  const block = versions.newTree.byNode.get(parent)

  return block && versions.mapping.dstOf(block) ? undefined : owner
}

interface Anchor {
  indent: string
  describe: string
  insert(snippet: string, blankLine: boolean): Insertion
}

// The spots the matching vouches for, in order of trust: after the mapped previous sibling, at the
// start of the mapped block, before the mapped next sibling.
function anchorsOf(node: ts.Statement, versions: Versions): Anchor[] {
  const { oldTree, mapping, newTree } = versions
  const old = versions.input.oldSource
  const list = statementsOf(node.parent)

  if (list === undefined) {
    refuse(`the statement is the body of ${kindName(node.parent)} without braces`)
  }

  const index = list.indexOf(node)
  const neighbours = (step: -1 | 1): ts.Statement | undefined => {
    let i = index + step

    // Other new log statements record and change nothing, so order among them does not matter.
    while (list[i] && isNewLog(list[i] as ts.Statement, versions)) i += step

    return list[i]
  }
  const previous = neighbours(-1)
  const next = neighbours(1)
  const mapped = (statement: ts.Node | undefined): TreeNode | undefined => {
    const tree = statement && newTree.byNode.get(statement)
    const other = tree && mapping.dstOf(tree)

    return other && statementsOf(other.node.parent) ? other : undefined
  }
  const anchors: Anchor[] = []
  const before = mapped(previous)
  const after = mapped(next)

  if (before) {
    const indent = indentAt(old, before.start)

    anchors.push({
      indent,
      describe: `after \`${snippetOf(before.node.getText())}\` (line ${lineOf(oldTree, before)})`,
      insert: (snippet, blankLine) => insertAfter(old, before.node, indent, snippet, blankLine),
    })
  }

  const parent = newTree.byNode.get(node.parent)
  const block = parent && mapping.dstOf(parent)

  if (previous === undefined && block) {
    const anchor = startOf(block, versions)

    if (anchor) anchors.push(anchor)
  }

  if (after) {
    const indent = indentAt(old, after.start)

    anchors.push({
      indent,
      describe: `before \`${snippetOf(after.node.getText())}\` (line ${lineOf(oldTree, after)})`,
      insert: (snippet) => insertBefore(old, after.node, indent, snippet),
    })
  }

  if (anchors.length > 0) return anchors

  if (block === undefined) {
    refuse(
      `no trustworthy anchor: the block around line ${lineOfNode(node.parent)} ` +
        'has no counterpart in the old version',
    )
  }

  refuse(
    `no trustworthy anchor: the statements around line ${lineOfNode(node)} ` +
      'changed beyond recognition in the old version',
  )
}

function startOf(block: TreeNode, versions: Versions): Anchor | undefined {
  const old = versions.input.oldSource
  const statements = statementsOf(block.node)
  const first = statements?.[0]
  const line = lineOf(versions.oldTree, block)

  if (first) {
    const indent = indentAt(old, first.getStart())

    return {
      indent,
      describe: `at the start of the block on line ${line}`,
      insert: (snippet) => insertBefore(old, first, indent, snippet),
    }
  }

  if (!ts.isBlock(block.node)) return undefined

  const outer = indentAt(old, block.start)
  const indent = outer + indentUnitOf(old)
  const open = block.start + 1
  const close = block.end - 1

  return {
    indent,
    describe: `in the empty block on line ${line}`,
    insert: (snippet) => ({
      at: open,
      removed: close - open,
      text: `\n${indent}${snippet}\n${outer}`,
      offset: 1 + indent.length,
    }),
  }
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

  const translation = translate(expression, versions)
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

  // The expression keeps its old names, so only the callee needs checking.
  const calleeOnly = { ...translation, expected: new Map() }

  return verify(versions, calleeOnly, result, describe, {
    start: counterpart.start,
    end: counterpart.start + wrapped.length,
  })
}

// The statement's text with the old version's names for everything it refers to.
function translate(node: ts.Node, versions: Versions): Translation {
  const source = versions.newSource
  const edits: { start: number; end: number; text: string }[] = []
  const renames: Record<string, string> = {}
  const expected: Translation['expected'] = new Map()

  const visit = (child: ts.Node): void => {
    if (ts.isPropertyAccessExpression(child) && ts.isIdentifier(child.expression)) {
      const alias = child.expression.text

      if (versions.newBindings.namespaces.has(alias)) {
        const callee = florCallee(child.name.text, versions.oldBindings)

        if (callee !== child.getText()) {
          edits.push({ start: child.getStart(), end: child.end, text: callee })
          renames[child.getText()] = callee
        }

        return
      }
    }

    // Types are erased before the script runs; the old version need not know them.
    if (ts.isTypeNode(child)) return

    if (ts.isIdentifier(child) && isReference(child)) {
      const exported = versions.newBindings.named.get(child.text)

      if (exported !== undefined) {
        const callee = florCallee(exported, versions.oldBindings)

        if (callee !== child.text) {
          edits.push({ start: child.getStart(), end: child.end, text: callee })
          renames[child.text] = callee
        }

        return
      }

      const declaration = versions.newNames.declarationOf(child)

      if (declaration === undefined || within(declaration, node)) return

      const counterpart = counterpartOf(declaration, versions)

      if (counterpart.kind === 'ambiguous') {
        const names = counterpart.names.map((name) => `\`${name}\``).join(' or ')

        refuse(`\`${child.text}\` has no single counterpart in the old version: ${names}`)
      }

      const known = expected.get(counterpart.name)

      if (known && known.declStart !== counterpart.declStart) {
        refuse(`\`${known.newName}\` and \`${child.text}\` both stand for \`${counterpart.name}\``)
      }

      expected.set(counterpart.name, { newName: child.text, declStart: counterpart.declStart })

      if (counterpart.name !== child.text) {
        const shorthand = ts.isShorthandPropertyAssignment(child.parent)

        edits.push({
          start: child.getStart(),
          end: child.end,
          text: shorthand ? `${child.text}: ${counterpart.name}` : counterpart.name,
        })
        renames[child.text] = counterpart.name
      }
    }

    ts.forEachChild(child, visit)
  }

  visit(node)

  const start = node.getStart()
  let text = source.slice(start, node.end)

  for (const edit of edits.sort((a, b) => b.start - a.start)) {
    text = text.slice(0, edit.start - start) + edit.text + text.slice(edit.end - start)
  }

  return { text, renames, expected, thisOwner: thisOwnerOf(node, versions) }
}

// Re-reads the candidate source the way replay will, and refuses anything that reads differently.
function verify(
  versions: Versions,
  translation: Translation,
  source: string,
  describe: string,
  inserted: { start: number; end: number },
): Propagation {
  const { statement, file } = versions.input
  // The inserted text holds the statement, or, when it wraps an expression, lies inside it.
  const found = findLogStatements(source, file).statements.find(
    (s) =>
      s.name === statement.name &&
      ((s.start >= inserted.start && s.end <= inserted.end) ||
        (s.start <= inserted.start && s.end >= inserted.end)),
  )

  if (found === undefined) {
    return { ok: false, reason: `${describe} the statement does not read back as a statement` }
  }

  const sf = parseSource(source, file)
  const names = createNameResolver(sf)

  if (names.syntaxErrors > versions.oldNames.syntaxErrors) {
    return { ok: false, reason: `placing the statement ${describe} breaks the old file's syntax` }
  }

  if (found.loops.join('/') !== statement.loops.join('/')) {
    const loops = (list: string[]) => (list.length === 0 ? 'no loop' : list.join(' > '))

    return {
      ok: false,
      reason:
        `no trustworthy anchor: ${describe} the statement would run in ${loops(found.loops)}, ` +
        `not in ${loops(statement.loops)}`,
    }
  }

  const shift = source.length - versions.input.oldSource.length
  const inside = (node: ts.Node) => node.getStart() >= inserted.start && node.end <= inserted.end
  let reason: string | undefined

  const check = (child: ts.Node): void => {
    if (reason !== undefined || ts.isTypeNode(child)) return
    if (child.end < inserted.start || child.pos > inserted.end) return

    if (ts.isIdentifier(child) && isReference(child) && inside(child)) {
      const wanted = translation.expected.get(child.text)
      const declaration = wanted && names.declarationOf(child)

      if (wanted && (declaration === undefined || inside(declaration))) {
        reason =
          `the statement uses \`${wanted.newName}\`, which the old version ` +
          'has no counterpart for'
      } else if (wanted && declaration) {
        const start = declaration.getStart()
        const expectedStart =
          wanted.declStart === undefined || wanted.declStart < inserted.start
            ? wanted.declStart
            : wanted.declStart + shift

        if (expectedStart !== undefined && start !== expectedStart) {
          reason = `\`${child.text}\` means something else ${describe} in the old version`
        } else if (start > inserted.end && sameScope(declaration, child)) {
          reason = `the old version declares \`${child.text}\` only later than ${describe}`
        }
      }
    }

    ts.forEachChild(child, check)
  }

  check(sf)

  const landed = findStatementNode(sf, found.start, found.end)
  const owner = landed && thisOwner(landed)

  if (translation.thisOwner !== undefined && owner?.getStart() !== translation.thisOwner) {
    reason = `the statement uses \`this\`, which means something else ${describe}`
  }

  if (reason !== undefined) return { ok: false, reason }

  return { ok: true, source, line: found.line, renames: translation.renames, anchor: describe }
}

// A statement that uses `this` must land in the counterpart of the function that binds it.
function thisOwnerOf(node: ts.Node, versions: Versions): number | undefined {
  let uses = false

  const visit = (child: ts.Node): void => {
    if (uses || (ts.isFunctionLike(child) && !ts.isArrowFunction(child))) return

    const kind = child.kind

    if (kind === ts.SyntaxKind.ThisKeyword || kind === ts.SyntaxKind.SuperKeyword) uses = true
    if (ts.isPrivateIdentifier(child)) uses = true

    ts.forEachChild(child, visit)
  }

  visit(node)

  if (!uses) return undefined

  const owner = thisOwner(node)
  const tree = owner && versions.newTree.byNode.get(owner)
  const counterpart = tree && versions.mapping.dstOf(tree)

  if (counterpart === undefined) {
    refuse('the statement uses `this`, and what binds it has no counterpart in the old version')
  }

  return counterpart.start
}

function thisOwner(node: ts.Node): ts.Node | undefined {
  for (let parent = node.parent; parent !== undefined; parent = parent.parent) {
    if (ts.isFunctionLike(parent) && !ts.isArrowFunction(parent)) return parent
    if (ts.isClassLike(parent) || ts.isSourceFile(parent)) return parent
  }

  return undefined
}

// How the old version spells a flordb export: `fl.log`, or the local name of `{ log as put }`.
function florCallee(member: string, bindings: FlorBindings): string {
  const [namespace] = bindings.namespaces

  if (namespace !== undefined) return `${namespace}.${member}`

  for (const [local, exported] of bindings.named) if (exported === member) return local

  refuse(`the old version does not import \`${member}\` from flordb`)
}

function isNewLog(statement: ts.Statement, versions: Versions): boolean {
  const tree = versions.newTree.byNode.get(statement)

  if (tree === undefined || versions.mapping.dstOf(tree)) return false

  const expression = ts.isExpressionStatement(statement) && skipParens(statement.expression)

  return !!expression && isFlorCall(expression, 'log', versions.newBindings)
}

function isStandalone(node: ts.Statement, call: ts.CallExpression): boolean {
  if (!ts.isExpressionStatement(node)) return false

  let expression = skipParens(node.expression)

  while (ts.isAwaitExpression(expression) || ts.isVoidExpression(expression)) {
    expression = skipParens(expression.expression)
  }

  return expression === call
}

function findStatementNode(
  sf: ts.SourceFile,
  start: number,
  end: number,
): ts.Statement | undefined {
  let found: ts.Statement | undefined

  const visit = (node: ts.Node): void => {
    if (found || node.end < start || node.pos > end) return

    if (node.getStart(sf) === start && node.end === end && enclosingStatement(node) === node) {
      found = node as ts.Statement

      return
    }

    ts.forEachChild(node, visit)
  }

  visit(sf)

  return found
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

function statementsOf(node: ts.Node): ts.NodeArray<ts.Statement> | undefined {
  if (
    ts.isBlock(node) ||
    ts.isSourceFile(node) ||
    ts.isModuleBlock(node) ||
    ts.isCaseClause(node) ||
    ts.isDefaultClause(node)
  ) {
    return node.statements
  }

  return undefined
}

function within(node: ts.Node, container: ts.Node): boolean {
  return node.getStart() >= container.getStart() && node.end <= container.end
}

function sameScope(a: ts.Node, b: ts.Node): boolean {
  return functionOf(a) === functionOf(b)
}

function functionOf(node: ts.Node): ts.Node | undefined {
  for (let parent = node.parent; parent !== undefined; parent = parent.parent) {
    if (ts.isFunctionLike(parent)) return parent
  }

  return undefined
}

function splice(text: string, insertion: Insertion): string {
  return text.slice(0, insertion.at) + insertion.text + text.slice(insertion.at + insertion.removed)
}

function lineOf(tree: SyntaxTree, node: TreeNode): number {
  return tree.sf.getLineAndCharacterOfPosition(node.start).line + 1
}

function lineOfNode(node: ts.Node): number {
  const sf = node.getSourceFile()

  return sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1
}

function kindName(node: ts.Node): string {
  const name = ts.SyntaxKind[node.kind].replace(/Statement$/, '').toLowerCase()

  return `${/^[aeiou]/.test(name) ? 'an' : 'a'} \`${name}\``
}
