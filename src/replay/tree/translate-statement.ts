import ts from './typescript.js'

import { counterpartOf } from './counterparts.js'
import { isReference } from './name-resolver.js'
import { refuse } from './refusal.js'
import { florCallee, within } from './versions.js'
import type { Versions } from './versions.js'

export interface Translation {
  text: string
  renames: Record<string, string>
  // old name -> the binding it must resolve to where the statement lands
  expected: Map<string, { newName: string; declStart: number | undefined }>
  // where the old counterpart of the method or function that gives `this` its meaning starts
  thisOwner: number | undefined
}

// The statement's text with the old version's names for everything it refers to.
export function translateStatement(node: ts.Node, versions: Versions): Translation {
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

  // TODO: a class field has no counterpart in a version that kept the same object in a variable
  // (corpus case this-without-class), so statements using `this` refuse across such a refactor.
  if (counterpart === undefined) {
    refuse('the statement uses `this`, and what binds it has no counterpart in the old version')
  }

  return counterpart.start
}

export function thisOwner(node: ts.Node): ts.Node | undefined {
  for (let parent = node.parent; parent !== undefined; parent = parent.parent) {
    if (ts.isFunctionLike(parent) && !ts.isArrowFunction(parent)) return parent
    if (ts.isClassLike(parent) || ts.isSourceFile(parent)) return parent
  }

  return undefined
}
