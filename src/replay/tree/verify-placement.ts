import ts from './typescript.js'

import { findLogStatements } from '../discover.js'
import type { Propagation } from '../propagate.js'
import { parseSource } from './flor-bindings.js'
import { createNameResolver, isReference } from './name-resolver.js'
import { thisOwner } from './translate-statement.js'
import type { Translation } from './translate-statement.js'
import { findStatementNode } from './versions.js'
import type { Versions } from './versions.js'

// Re-reads the candidate source the way replay will, and refuses anything that reads differently.
export function verifyPlacement(
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

  // TODO: loops are compared statically, so a version that kept the inner loop in a helper called
  // from the outer loop is refused (corpus case inlined-helper); its runs cannot be replayed for
  // the statement until calls are followed.
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

function sameScope(a: ts.Node, b: ts.Node): boolean {
  return functionOf(a) === functionOf(b)
}

function functionOf(node: ts.Node): ts.Node | undefined {
  for (let parent = node.parent; parent !== undefined; parent = parent.parent) {
    if (ts.isFunctionLike(parent)) return parent
  }

  return undefined
}
