import ts from './typescript.js'

import type { Mapping } from './mapping.js'
import type { NameResolver } from './name-resolver.js'
import type { SyntaxTree, TreeNode } from './syntax-tree.js'

export interface MatchedVersions {
  readonly newTree: SyntaxTree
  readonly oldTree: SyntaxTree
  readonly mapping: Mapping
  readonly newNames: NameResolver
  readonly oldNames: NameResolver
}

export type Counterpart =
  // declStart: where the old declaration starts; undefined when only the same name vouches for it
  | { kind: 'found'; name: string; declStart: number | undefined }
  | { kind: 'ambiguous'; names: string[] }

// Which old binding a new one stands for, by how their matched occurrences vote. A renamed
// occurrence votes only when something identical sits beside it (`loss.backward()` and
// `lossValue.backward()`), and the old binding must vote back: two new names never share one.
export function counterpartOf(declaration: ts.Node, versions: MatchedVersions): Counterpart {
  const name = declaration.getText()
  const imported = importOf(declaration)

  // An import names an export, so its counterpart is the same export, whatever its local name.
  if (imported) {
    const old = findImport(versions.oldTree.sf, imported)

    return old
      ? { kind: 'found', name: old.getText(), declStart: old.getStart() }
      : { kind: 'found', name, declStart: undefined }
  }
  const forward = tally(versions.newTree, versions.newNames, declaration, (node) => {
    const other = versions.mapping.dstOf(node)

    return other && votes(node, other, versions.mapping) ? other : undefined
  })
  const old = versions.oldNames
  const named = new Map([...forward].map(([node, count]) => [old.declarationOf(node), count]))

  named.delete(undefined)

  const total = [...named.values()].reduce((sum, count) => sum + count, 0)

  // Nothing vouches for a rename: the old version may still use the same name, which
  // verification checks resolves where the statement lands.
  if (total === 0) return { kind: 'found', name, declStart: undefined }

  const [best, count] = [...named].reduce((a, b) => (b[1] > a[1] ? b : a))

  if (best === undefined || count * 2 <= total) {
    return { kind: 'ambiguous', names: [...named.keys()].map((d) => d?.getText() ?? '?') }
  }

  const back = tally(versions.oldTree, versions.oldNames, best, (node) => {
    const other = versions.mapping.srcOf(node)

    return other && votes(other, node, versions.mapping) ? other : undefined
  })
  const backNamed = new Map<ts.Node | undefined, number>()

  for (const [node, n] of back) {
    const decl = versions.newNames.declarationOf(node)

    backNamed.set(decl, (backNamed.get(decl) ?? 0) + n)
  }

  const backTotal = [...backNamed.values()].reduce((sum, n) => sum + n, 0)

  if ((backNamed.get(declaration) ?? 0) * 2 <= backTotal)
    return { kind: 'found', name, declStart: undefined }

  return { kind: 'found', name: best.getText(), declStart: best.getStart() }
}

// For each occurrence of the binding declared at `declaration`, the identifier it maps to.
function tally(
  tree: SyntaxTree,
  names: NameResolver,
  declaration: ts.Node,
  counterpart: (node: TreeNode) => TreeNode | undefined,
): Map<ts.Identifier, number> {
  const text = declaration.getText()
  const votes = new Map<ts.Identifier, number>()

  for (const node of tree.nodes) {
    if (node.kind !== ts.SyntaxKind.Identifier || node.value !== text) continue
    if (names.declarationOf(node.node as ts.Identifier) !== declaration) continue

    const other = counterpart(node)

    if (other === undefined || other.kind !== ts.SyntaxKind.Identifier) continue

    const id = other.node as ts.Identifier

    votes.set(id, (votes.get(id) ?? 0) + 1)
  }

  return votes
}

// A pair with the same name needs no witness: keeping a name is the usual case, renaming is not.
function votes(a: TreeNode, b: TreeNode, mapping: Mapping): boolean {
  return a.value === b.value || anchored(a, b, mapping)
}

// Whether a matched pair sits among identical matched siblings, looking up through parents that
// have no other children (`for (const e of ...)` is pinned by the loop's iterable).
function anchored(a: TreeNode, b: TreeNode, mapping: Mapping): boolean {
  let x = a
  let y = b

  for (let px = x.parent, py = y.parent; px && py; px = x.parent, py = y.parent) {
    if (mapping.dstOf(px) !== py) return false

    const witness = px.children.some((child) => {
      const other = child !== x ? mapping.dstOf(child) : undefined

      return other?.parent === py && other.hash === child.hash && isSolid(child)
    })

    if (witness) return true
    if (px.children.length > 1) return false

    x = px
    y = py
  }

  return false
}

// Punctuation and operators match everywhere; only names, literals and subtrees are evidence.
function isSolid(node: TreeNode): boolean {
  return node.children.length > 0 || node.value !== ''
}

interface ImportedName {
  module: string
  // the exported name, 'default', or '*' for the whole module
  exported: string
}

function importOf(declaration: ts.Node): ImportedName | undefined {
  const parent = declaration.parent

  if (ts.isImportSpecifier(parent) && parent.name === declaration) {
    return withModule(parent, (parent.propertyName ?? parent.name).text)
  }

  if (ts.isImportClause(parent) && parent.name === declaration) {
    return withModule(parent, 'default')
  }

  if (ts.isNamespaceImport(parent)) return withModule(parent, '*')

  return undefined
}

function withModule(node: ts.Node, exported: string): ImportedName | undefined {
  let declaration: ts.Node = node

  while (!ts.isImportDeclaration(declaration)) declaration = declaration.parent

  const specifier = declaration.moduleSpecifier

  return ts.isStringLiteral(specifier) ? { module: specifier.text, exported } : undefined
}

function findImport(sf: ts.SourceFile, wanted: ImportedName): ts.Identifier | undefined {
  for (const statement of sf.statements) {
    if (!ts.isImportDeclaration(statement) || !statement.importClause) continue
    if (!ts.isStringLiteral(statement.moduleSpecifier)) continue
    if (statement.moduleSpecifier.text !== wanted.module) continue

    const clause = statement.importClause
    const bindings = clause.namedBindings

    if (wanted.exported === 'default' && clause.name) return clause.name
    if (wanted.exported === '*' && bindings && ts.isNamespaceImport(bindings)) return bindings.name

    if (bindings && ts.isNamedImports(bindings)) {
      const found = bindings.elements.find(
        (element) => (element.propertyName ?? element.name).text === wanted.exported,
      )

      if (found) return found.name
    }
  }

  return undefined
}
