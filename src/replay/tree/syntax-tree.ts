import ts from './typescript.js'

export interface TreeNode {
  readonly index: number // pre-order position; descendants are index + 1 .. index + size - 1
  readonly kind: ts.SyntaxKind
  readonly value: string
  readonly node: ts.Node
  readonly parent: TreeNode | undefined
  readonly children: TreeNode[]
  readonly start: number
  readonly end: number
  height: number
  size: number
  hash: number
  key: string | undefined
}

export interface SyntaxTree {
  readonly root: TreeNode
  readonly nodes: readonly TreeNode[] // pre-order
  readonly sf: ts.SourceFile
  readonly byNode: ReadonlyMap<ts.Node, TreeNode>
}

// Interns structural signatures so that two subtrees are isomorphic exactly when their hashes agree.
export class HashSpace {
  readonly #ids = new Map<string, number>()

  idOf(signature: string): number {
    let id = this.#ids.get(signature)

    if (id === undefined) {
      id = this.#ids.size
      this.#ids.set(signature, id)
    }

    return id
  }
}

export function buildTree(
  sf: ts.SourceFile,
  hashes: HashSpace,
  skip?: (node: ts.Node) => boolean,
): SyntaxTree {
  const nodes: TreeNode[] = []
  const byNode = new Map<ts.Node, TreeNode>()

  const build = (node: ts.Node, parent: TreeNode | undefined): TreeNode => {
    const tree: TreeNode = {
      index: nodes.length,
      kind: node.kind,
      value: valueOf(node),
      node,
      parent,
      children: [],
      start: node.getStart(sf),
      end: node.end,
      height: 1,
      size: 1,
      hash: 0,
      key: undefined,
    }

    nodes.push(tree)
    byNode.set(node, tree)

    ts.forEachChild(node, (child) => {
      if (skip?.(child)) return

      tree.children.push(build(child, tree))
    })

    for (const child of tree.children) {
      tree.height = Math.max(tree.height, child.height + 1)
      tree.size += child.size
    }

    const childHashes = tree.children.map((child) => child.hash).join(',')

    tree.hash = hashes.idOf(`${tree.kind}:${tree.value}(${childHashes})`)
    tree.key = keyOf(node)

    return tree
  }

  const root = build(sf, undefined)

  return { root, nodes, sf, byNode }
}

export function isDescendant(node: TreeNode, ancestor: TreeNode): boolean {
  return node.index > ancestor.index && node.index < ancestor.index + ancestor.size
}

export function descendants(tree: SyntaxTree, node: TreeNode): readonly TreeNode[] {
  return tree.nodes.slice(node.index + 1, node.index + node.size)
}

export function isStatementList(node: TreeNode): boolean {
  return (
    node.kind === ts.SyntaxKind.Block ||
    node.kind === ts.SyntaxKind.SourceFile ||
    node.kind === ts.SyntaxKind.ModuleBlock ||
    node.kind === ts.SyntaxKind.CaseClause ||
    node.kind === ts.SyntaxKind.DefaultClause ||
    node.kind === ts.SyntaxKind.ClassDeclaration ||
    node.kind === ts.SyntaxKind.ClassExpression
  )
}

function valueOf(node: ts.Node): string {
  if (
    ts.isIdentifier(node) ||
    ts.isPrivateIdentifier(node) ||
    ts.isLiteralExpression(node) ||
    ts.isTemplateLiteralToken(node) ||
    ts.isJsxText(node)
  ) {
    return node.text
  }

  if (ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) {
    return ts.tokenToString(node.operator) ?? ''
  }

  if (ts.isVariableDeclarationList(node)) {
    if (node.flags & ts.NodeFlags.Const) return 'const'
    if (node.flags & ts.NodeFlags.Let) return 'let'

    return 'var'
  }

  return ''
}

// A name that identifies a node among its siblings even when its contents changed a lot.
function keyOf(node: ts.Node): string | undefined {
  if (
    ts.isFunctionDeclaration(node) ||
    ts.isClassDeclaration(node) ||
    ts.isMethodDeclaration(node) ||
    ts.isPropertyDeclaration(node) ||
    ts.isPropertyAssignment(node) ||
    ts.isInterfaceDeclaration(node) ||
    ts.isTypeAliasDeclaration(node) ||
    ts.isGetAccessor(node) ||
    ts.isSetAccessor(node)
  ) {
    return node.name && !ts.isComputedPropertyName(node.name) ? node.name.getText() : undefined
  }

  if (ts.isVariableStatement(node)) {
    const names = node.declarationList.declarations.map((d) => d.name.getText())

    return names.join(',')
  }

  if (ts.isVariableDeclaration(node)) return node.name.getText()

  if (ts.isForOfStatement(node) && ts.isCallExpression(node.expression)) {
    const [name] = node.expression.arguments
    const callee = node.expression.expression

    // flor.loop('epoch', ...) names its loop; the callee alias may differ across versions.
    if (name && ts.isStringLiteralLike(name) && /(^|\.)loop$/.test(callee.getText())) {
      return `loop:${name.text}`
    }
  }

  // Two statements that log under the same name are the same statement, whatever they log.
  if (ts.isExpressionStatement(node) && ts.isCallExpression(node.expression)) {
    const [name] = node.expression.arguments
    const callee = node.expression.expression

    if (name && ts.isStringLiteralLike(name) && /(^|\.)log$/.test(callee.getText())) {
      return `log:${name.text}`
    }
  }

  return undefined
}
