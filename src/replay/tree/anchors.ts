import ts from './typescript.js'

import { isFlorCall, skipParens } from './flor-bindings.js'
import { refuse } from './refusal.js'
import type { TreeNode } from './syntax-tree.js'
import { indentAt, indentUnitOf, insertAfter, insertBefore, snippetOf } from './text-layout.js'
import type { Insertion } from './text-layout.js'
import { lineOf, lineOfNode, statementsOf } from './versions.js'
import type { Versions } from './versions.js'

export interface Anchor {
  indent: string
  describe: string
  insert(snippet: string, blankLine: boolean): Insertion
}

// The spots the matching vouches for, in order of trust: after the mapped previous sibling, at the
// start of the mapped block, before the mapped next sibling.
export function anchorsOf(node: ts.Statement, versions: Versions): Anchor[] {
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

// An `if` that exists only to guard the statement goes along with it: `if (i % 100 === 0) log(...)`.
export function liftable(unit: ts.Statement, versions: Versions): ts.IfStatement | undefined {
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

function isNewLog(statement: ts.Statement, versions: Versions): boolean {
  const tree = versions.newTree.byNode.get(statement)

  if (tree === undefined || versions.mapping.dstOf(tree)) return false

  const expression = ts.isExpressionStatement(statement) && skipParens(statement.expression)

  return !!expression && isFlorCall(expression, 'log', versions.newBindings)
}

// `an \`if\``, `a \`for\``: the keyword the user wrote, which the syntax kind does not spell.
function kindName(node: ts.Node): string {
  const keyword = /^[a-z]+/.exec(node.getText())?.[0] ?? ts.SyntaxKind[node.kind]

  return `${/^[aeiou]/.test(keyword) ? 'an' : 'a'} \`${keyword}\``
}
