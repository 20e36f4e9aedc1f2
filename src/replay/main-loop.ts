import ts from './tree/typescript.js'

import { loopName } from './discover.js'
import { findFlorBindings, parseSource } from './tree/flor-bindings.js'

/**
 * Where the first `flor.loop` of a file begins: what runs before it is the
 * prefix, which a statement placed there needs and nothing more.
 */
export function mainLoopStart(source: string, file: string): number | undefined {
  const sourceFile = parseSource(source, file)
  const bindings = findFlorBindings(sourceFile)
  let start: number | undefined

  const visit = (node: ts.Node): void => {
    if (start !== undefined) return

    if (loopName(node, bindings) !== undefined) {
      start = node.getStart(sourceFile)

      return
    }

    ts.forEachChild(node, visit)
  }

  visit(sourceFile)

  return start
}
