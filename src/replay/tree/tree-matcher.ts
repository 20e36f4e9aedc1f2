import { Mapping } from './mapping.js'
import { isDescendant, isStatementList } from './syntax-tree.js'
import type { SyntaxTree, TreeNode } from './syntax-tree.js'

export interface MatchOptions {
  // Subtrees this low are left to the bottom-up phase: a lone identifier says nothing on its own.
  readonly minHeight?: number
  // Share of matched descendants above which two containers are taken to be the same.
  readonly minDice?: number
  // Share of equal tokens above which two statements in matched blocks are the same, edited.
  readonly minSimilarity?: number
}

// GumTree-style matching (Falleri et al., 2014): identical subtrees top-down, then containers
// bottom-up by their shared descendants, then the leftovers inside matched containers.
export function matchTrees(src: SyntaxTree, dst: SyntaxTree, options: MatchOptions = {}): Mapping {
  const matcher = new TreeMatcher(src, dst, options)

  matcher.topDown()
  matcher.bottomUp()

  return matcher.mapping
}

class TreeMatcher {
  readonly mapping = new Mapping()
  readonly #src: SyntaxTree
  readonly #dst: SyntaxTree
  readonly #minHeight: number
  readonly #minDice: number
  readonly #minSimilarity: number
  readonly #tokens = new Map<TreeNode, Map<string, number>>()

  constructor(src: SyntaxTree, dst: SyntaxTree, options: MatchOptions) {
    this.#src = src
    this.#dst = dst
    this.#minHeight = options.minHeight ?? 1
    this.#minDice = options.minDice ?? 0.5
    this.#minSimilarity = options.minSimilarity ?? 0.5
  }

  topDown(): void {
    const srcQueue = new HeightQueue([this.#src.root])
    const dstQueue = new HeightQueue([this.#dst.root])
    const srcCounts = countHashes(this.#src)
    const dstCounts = countHashes(this.#dst)
    const ambiguous: [TreeNode, TreeNode][] = []

    while (Math.min(srcQueue.peek(), dstQueue.peek()) > this.#minHeight) {
      if (srcQueue.peek() !== dstQueue.peek()) {
        const queue = srcQueue.peek() > dstQueue.peek() ? srcQueue : dstQueue

        for (const node of queue.pop()) queue.open(node)

        continue
      }

      const srcNodes = srcQueue.pop()
      const dstNodes = dstQueue.pop()
      const dstByHash = groupBy(dstNodes, (node) => node.hash)
      const touched = new Set<TreeNode>()

      for (const a of srcNodes) {
        for (const b of dstByHash.get(a.hash) ?? []) {
          const unique = srcCounts.get(a.hash) === 1 && dstCounts.get(b.hash) === 1

          if (unique) this.mapping.linkIsomorphic(a, b)
          else ambiguous.push([a, b])

          touched.add(a)
          touched.add(b)
        }
      }

      for (const node of srcNodes) if (!touched.has(node)) srcQueue.open(node)
      for (const node of dstNodes) if (!touched.has(node)) dstQueue.open(node)
    }

    const scored = ambiguous.map(([a, b]) => ({ a, b, score: this.#contextScore(a, b) }))

    scored.sort((x, y) => y.score - x.score)

    for (const { a, b } of scored) {
      if (!this.mapping.hasSrc(a) && !this.mapping.hasDst(b)) this.mapping.linkIsomorphic(a, b)
    }
  }

  bottomUp(): void {
    const nodes = this.#src.nodes

    // Reverse pre-order visits every node after all of its descendants.
    for (let i = nodes.length - 1; i > 0; i--) {
      const a = nodes[i]

      if (a === undefined || a.children.length === 0 || this.mapping.hasSrc(a)) continue

      const best = this.#bestContainer(a)

      if (best !== undefined) {
        this.mapping.link(a, best)
        this.#recover(a, best)
      }
    }

    const srcRoot = this.#src.root
    const dstRoot = this.#dst.root

    if (!this.mapping.hasSrc(srcRoot) && !this.mapping.hasDst(dstRoot)) {
      this.mapping.link(srcRoot, dstRoot)
    }

    this.#recover(srcRoot, dstRoot)
  }

  dice(a: TreeNode, b: TreeNode): number {
    const total = a.size - 1 + (b.size - 1)

    if (total === 0) return 0

    let common = 0

    for (let i = a.index + 1; i < a.index + a.size; i++) {
      const node = this.#src.nodes[i]
      const other = node && this.mapping.dstOf(node)

      if (other && isDescendant(other, b)) common++
    }

    return (2 * common) / total
  }

  #bestContainer(a: TreeNode): TreeNode | undefined {
    const candidates = new Set<TreeNode>()

    for (let i = a.index + 1; i < a.index + a.size; i++) {
      const node = this.#src.nodes[i]
      const other = node && this.mapping.dstOf(node)

      for (let up = other?.parent; up !== undefined; up = up.parent) {
        if (up.kind === a.kind && !this.mapping.hasDst(up) && up.parent !== undefined) {
          candidates.add(up)
        }
      }
    }

    let best: TreeNode | undefined
    let bestScore = -1

    for (const b of candidates) {
      if (logsOtherName(a, b)) continue

      const dice = this.dice(a, b)
      const sameKey = a.key !== undefined && a.key === b.key

      if (dice < this.#minDice && !(sameKey && dice >= this.#minDice / 2)) continue

      const score = dice + (sameKey ? 1 : 0)

      if (score > bestScore) {
        best = b
        bestScore = score
      }
    }

    return best
  }

  // Matches what is left among the children of two matched nodes, in order, most certain first.
  #recover(a: TreeNode, b: TreeNode): void {
    const unmatched = (): [TreeNode[], TreeNode[]] => [
      a.children.filter((child) => !this.mapping.hasSrc(child)),
      b.children.filter((child) => !this.mapping.hasDst(child)),
    ]

    let [xs, ys] = unmatched()

    for (const [x, y] of lcs(xs, ys, (x, y) => x.hash === y.hash)) {
      this.mapping.linkIsomorphic(x, y)
    }

    ;[xs, ys] = unmatched()

    for (const [x, y] of lcs(xs, ys, (x, y) => x.kind === y.kind && sameKey(x, y))) {
      this.mapping.link(x, y)
      this.#recover(x, y)
    }

    ;[xs, ys] = unmatched()

    const statements = isStatementList(a)
    const alike = (x: TreeNode, y: TreeNode): boolean => {
      if (x.kind !== y.kind) return false

      if (logsOtherName(x, y)) return false

      // Inside a matched expression or declaration, position alone pins a child down (`epoch`
      // renamed `e` in the same loop header); among the statements of a block it does not.
      return !statements || this.#similarity(x, y) >= this.#minSimilarity
    }

    for (const [x, y] of lcs(xs, ys, alike)) {
      this.mapping.link(x, y)
      this.#recover(x, y)
    }
  }

  #similarity(a: TreeNode, b: TreeNode): number {
    const ta = this.#tokensOf(a, this.#src)
    const tb = this.#tokensOf(b, this.#dst)
    let common = 0
    let total = 0

    for (const [token, count] of ta) {
      common += Math.min(count, tb.get(token) ?? 0)
      total += count
    }

    for (const count of tb.values()) total += count

    return total === 0 ? 0 : (2 * common) / total
  }

  #tokensOf(node: TreeNode, tree: SyntaxTree): Map<string, number> {
    let tokens = this.#tokens.get(node)

    if (tokens === undefined) {
      tokens = new Map()

      for (let i = node.index; i < node.index + node.size; i++) {
        const leaf = tree.nodes[i]

        if (leaf === undefined || leaf.children.length > 0) continue

        const token = `${leaf.kind}:${leaf.value}`

        tokens.set(token, (tokens.get(token) ?? 0) + 1)
      }

      this.#tokens.set(node, tokens)
    }

    return tokens
  }

  // Breaks ties between identical subtrees by how alike their surroundings are.
  #contextScore(a: TreeNode, b: TreeNode): number {
    let score = 0
    let weight = 1
    let pa = a.parent
    let pb = b.parent

    // Far enough up, a parent is most of the file and says nothing about this pair, at a high cost.
    for (let level = 0; level < 3 && pa && pb && pa.size + pb.size < 4000; level++) {
      score += weight * this.dice(pa, pb)
      if (pa.key !== undefined && pa.key === pb.key) score += weight * 0.5
      weight /= 4
      pa = pa.parent
      pb = pb.parent
    }

    const position = Math.abs(a.start / this.#src.root.end - b.start / this.#dst.root.end)

    return score - position * 0.01
  }
}

// Statements that log different names are different statements, however alike they look.
function logsOtherName(x: TreeNode, y: TreeNode): boolean {
  return !!x.key?.startsWith('log:') && !!y.key?.startsWith('log:') && x.key !== y.key
}

function sameKey(x: TreeNode, y: TreeNode): boolean {
  return x.key !== undefined && x.key === y.key
}

class HeightQueue {
  #nodes: TreeNode[]

  constructor(nodes: TreeNode[]) {
    this.#nodes = [...nodes]
  }

  peek(): number {
    let max = 0

    for (const node of this.#nodes) max = Math.max(max, node.height)

    return max
  }

  pop(): TreeNode[] {
    const height = this.peek()
    const popped = this.#nodes.filter((node) => node.height === height)

    this.#nodes = this.#nodes.filter((node) => node.height !== height)

    return popped
  }

  open(node: TreeNode): void {
    this.#nodes.push(...node.children)
  }
}

function countHashes(tree: SyntaxTree): Map<number, number> {
  const counts = new Map<number, number>()

  for (const node of tree.nodes) counts.set(node.hash, (counts.get(node.hash) ?? 0) + 1)

  return counts
}

function groupBy<T, K>(items: readonly T[], keyOf: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>()

  for (const item of items) {
    const key = keyOf(item)
    const group = groups.get(key)

    if (group) group.push(item)
    else groups.set(key, [item])
  }

  return groups
}

export function lcs<T>(xs: readonly T[], ys: readonly T[], eq: (x: T, y: T) => boolean): [T, T][] {
  const rows = xs.length + 1
  const cols = ys.length + 1
  const table = new Uint32Array(rows * cols)

  for (let i = xs.length - 1; i >= 0; i--) {
    for (let j = ys.length - 1; j >= 0; j--) {
      const x = xs[i] as T
      const y = ys[j] as T

      table[i * cols + j] = eq(x, y)
        ? (table[(i + 1) * cols + j + 1] ?? 0) + 1
        : Math.max(table[(i + 1) * cols + j] ?? 0, table[i * cols + j + 1] ?? 0)
    }
  }

  const pairs: [T, T][] = []
  let i = 0
  let j = 0

  while (i < xs.length && j < ys.length) {
    const x = xs[i] as T
    const y = ys[j] as T

    if (eq(x, y) && table[i * cols + j] === (table[(i + 1) * cols + j + 1] ?? 0) + 1) {
      pairs.push([x, y])
      i++
      j++
    } else if ((table[(i + 1) * cols + j] ?? 0) >= (table[i * cols + j + 1] ?? 0)) {
      i++
    } else {
      j++
    }
  }

  return pairs
}
