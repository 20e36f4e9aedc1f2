import ts from './typescript.js'

export interface FlorBindings {
  // local names bound to the whole module: `import * as flor`, `const flor = require(...)`
  readonly namespaces: ReadonlySet<string>
  // local name -> exported name: `import { log as record }` gives record -> log
  readonly named: ReadonlyMap<string, string>
}

export function scriptKindOf(file: string): ts.ScriptKind {
  if (file.endsWith('.tsx')) return ts.ScriptKind.TSX
  if (file.endsWith('.jsx')) return ts.ScriptKind.JSX
  if (/\.[cm]?js$/.test(file)) return ts.ScriptKind.JS

  return ts.ScriptKind.TS
}

export function parseSource(source: string, file: string): ts.SourceFile {
  return ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, scriptKindOf(file))
}

export function findFlorBindings(sf: ts.SourceFile): FlorBindings {
  const namespaces = new Set<string>()
  const named = new Map<string, string>()

  const bindPattern = (name: ts.BindingName): void => {
    if (ts.isIdentifier(name)) {
      namespaces.add(name.text)

      return
    }

    if (!ts.isObjectBindingPattern(name)) return

    for (const element of name.elements) {
      if (element.dotDotDotToken || !ts.isIdentifier(element.name)) continue

      const exported = element.propertyName ? propertyText(element.propertyName) : element.name.text

      if (exported !== undefined) named.set(element.name.text, exported)
    }
  }

  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && isFlordb(node.moduleSpecifier)) {
      const clause = node.importClause

      // A default import only exists through CommonJS interop, where it is the whole module.
      if (clause?.name) namespaces.add(clause.name.text)

      const bindings = clause?.namedBindings

      if (bindings && ts.isNamespaceImport(bindings)) namespaces.add(bindings.name.text)

      if (bindings && ts.isNamedImports(bindings)) {
        for (const spec of bindings.elements) {
          named.set(spec.name.text, propertyText(spec.propertyName ?? spec.name) ?? spec.name.text)
        }
      }

      return
    }

    if (ts.isImportEqualsDeclaration(node)) {
      const ref = node.moduleReference

      if (ts.isExternalModuleReference(ref) && isFlordb(ref.expression)) {
        namespaces.add(node.name.text)
      }

      return
    }

    if (ts.isVariableDeclaration(node) && node.initializer && isFlordbLoad(node.initializer)) {
      bindPattern(node.name)
    }

    ts.forEachChild(node, visit)
  }

  visit(sf)

  return { namespaces, named }
}

// The flordb export an expression stands for: `flor.log` and a renamed `{ log as record }` both give 'log'.
export function florMember(expr: ts.Expression, bindings: FlorBindings): string | undefined {
  const inner = skipParens(expr)

  if (ts.isIdentifier(inner)) return bindings.named.get(inner.text)

  if (ts.isPropertyAccessExpression(inner) && ts.isIdentifier(inner.expression)) {
    return bindings.namespaces.has(inner.expression.text) ? inner.name.text : undefined
  }

  if (
    ts.isElementAccessExpression(inner) &&
    ts.isIdentifier(inner.expression) &&
    ts.isStringLiteralLike(inner.argumentExpression)
  ) {
    return bindings.namespaces.has(inner.expression.text)
      ? inner.argumentExpression.text
      : undefined
  }

  return undefined
}

export function isFlorCall(
  node: ts.Node,
  member: string,
  bindings: FlorBindings,
): node is ts.CallExpression {
  return ts.isCallExpression(node) && florMember(node.expression, bindings) === member
}

export function literalName(arg: ts.Expression | undefined): string | undefined {
  if (arg === undefined) return undefined

  const inner = skipParens(arg)

  return ts.isStringLiteral(inner) || ts.isNoSubstitutionTemplateLiteral(inner)
    ? inner.text
    : undefined
}

export function skipParens(expr: ts.Expression): ts.Expression {
  let inner = expr

  while (ts.isParenthesizedExpression(inner)) inner = inner.expression

  return inner
}

function isFlordb(specifier: ts.Expression): boolean {
  return (
    ts.isStringLiteralLike(specifier) &&
    (specifier.text === 'flordb' || specifier.text.startsWith('flordb/'))
  )
}

function isFlordbLoad(init: ts.Expression): boolean {
  let inner = skipParens(init)

  if (ts.isAwaitExpression(inner)) inner = skipParens(inner.expression)

  if (!ts.isCallExpression(inner)) return false

  const [arg] = inner.arguments
  const callee = inner.expression
  const loads =
    (ts.isIdentifier(callee) && callee.text === 'require') ||
    callee.kind === ts.SyntaxKind.ImportKeyword

  return loads && arg !== undefined && isFlordb(arg)
}

function propertyText(name: ts.PropertyName | ts.ModuleExportName): string | undefined {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name)) return name.text

  return undefined
}
