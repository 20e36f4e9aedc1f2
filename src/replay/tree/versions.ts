import ts from './typescript.js'

import { enclosingStatement } from '../discover.js'
import type { PropagateInput } from '../propagate.js'
import { findFlorBindings } from './flor-bindings.js'
import type { FlorBindings } from './flor-bindings.js'
import type { Mapping } from './mapping.js'
import { createNameResolver } from './name-resolver.js'
import type { NameResolver } from './name-resolver.js'
import { refuse } from './refusal.js'
import { buildTree, HashSpace } from './syntax-tree.js'
import type { SyntaxTree, TreeNode } from './syntax-tree.js'
import { matchTrees } from './tree-matcher.js'

// Both versions, parsed, matched and resolved: what every step of the placement consults.
export interface Versions {
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

export function matchVersions(
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

// How the old version spells a flordb export: `fl.log`, or the local name of `{ log as put }`.
export function florCallee(member: string, bindings: FlorBindings): string {
  const [namespace] = bindings.namespaces

  if (namespace !== undefined) return `${namespace}.${member}`

  for (const [local, exported] of bindings.named) if (exported === member) return local

  refuse(`the old version does not import \`${member}\` from flordb`)
}

export function statementsOf(node: ts.Node): ts.NodeArray<ts.Statement> | undefined {
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

export function findStatementNode(
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

export function within(node: ts.Node, container: ts.Node): boolean {
  return node.getStart() >= container.getStart() && node.end <= container.end
}

export function lineOf(tree: SyntaxTree, node: TreeNode): number {
  return tree.sf.getLineAndCharacterOfPosition(node.start).line + 1
}

export function lineOfNode(node: ts.Node): number {
  const sf = node.getSourceFile()

  return sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1
}
