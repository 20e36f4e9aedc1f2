import type { TreeNode } from './syntax-tree.js'

// A one-to-one matching between the nodes of a source tree and a destination tree.
export class Mapping {
  readonly #toDst = new Map<TreeNode, TreeNode>()
  readonly #toSrc = new Map<TreeNode, TreeNode>()

  get size(): number {
    return this.#toDst.size
  }

  link(src: TreeNode, dst: TreeNode): void {
    this.#toDst.set(src, dst)
    this.#toSrc.set(dst, src)
  }

  // Isomorphic subtrees have the same shape, so their pre-orders line up node for node.
  linkIsomorphic(src: TreeNode, dst: TreeNode): void {
    this.link(src, dst)
    src.children.forEach((child, i) => {
      const other = dst.children[i]

      if (other) this.linkIsomorphic(child, other)
    })
  }

  dstOf(src: TreeNode): TreeNode | undefined {
    return this.#toDst.get(src)
  }

  srcOf(dst: TreeNode): TreeNode | undefined {
    return this.#toSrc.get(dst)
  }

  hasSrc(src: TreeNode): boolean {
    return this.#toDst.has(src)
  }

  hasDst(dst: TreeNode): boolean {
    return this.#toSrc.has(dst)
  }

  pairs(): IterableIterator<[TreeNode, TreeNode]> {
    return this.#toDst.entries()
  }
}
