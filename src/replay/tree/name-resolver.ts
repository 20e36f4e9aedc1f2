import ts from './typescript.js'

export interface NameResolver {
  readonly syntaxErrors: number
  // The name node of the in-file declaration an identifier refers to; undefined for globals.
  declarationOf(id: ts.Identifier): ts.Node | undefined
}

// A one-file program without lib or imports: enough for the binder to resolve the file's own
// scopes, which is all that renaming needs, at a fraction of a full type-check.
export function createNameResolver(sf: ts.SourceFile): NameResolver {
  const host: ts.CompilerHost = {
    getSourceFile: () => sf,
    getDefaultLibFileName: () => 'lib.d.ts',
    writeFile: () => {},
    getCurrentDirectory: () => '/',
    getCanonicalFileName: (file) => file,
    useCaseSensitiveFileNames: () => true,
    getNewLine: () => '\n',
    fileExists: () => true,
    readFile: () => undefined,
  }
  const program = ts.createProgram({
    rootNames: [sf.fileName],
    options: { noLib: true, noResolve: true, allowJs: true, types: [] },
    host,
  })
  const checker = program.getTypeChecker()

  return {
    syntaxErrors: program.getSyntacticDiagnostics(sf).length,
    declarationOf(id) {
      const symbol =
        ts.isShorthandPropertyAssignment(id.parent) && id.parent.name === id
          ? checker.getShorthandAssignmentValueSymbol(id.parent)
          : checker.getSymbolAtLocation(id)
      const declaration = symbol?.declarations?.find((d) => d.getSourceFile() === sf)

      if (declaration === undefined) return undefined

      return ts.getNameOfDeclaration(declaration) ?? declaration
    },
  }
}

// Identifiers that name a binding, as opposed to a property, a label or a member declaration.
export function isReference(id: ts.Identifier): boolean {
  const parent = id.parent

  if (ts.isPropertyAccessExpression(parent) && parent.name === id) return false
  if (ts.isQualifiedName(parent) && parent.right === id) return false
  if (ts.isPropertyAssignment(parent) && parent.name === id) return false
  if (ts.isBindingElement(parent) && parent.propertyName === id) return false
  if (ts.isJsxAttribute(parent) && parent.name === id) return false
  if (ts.isLabeledStatement(parent) || ts.isBreakOrContinueStatement(parent)) return false
  if (ts.isImportSpecifier(parent) && parent.propertyName === id) return false
  if (ts.isExportSpecifier(parent) && parent.propertyName === id) return false

  const memberLike =
    ts.isMethodDeclaration(parent) ||
    ts.isPropertyDeclaration(parent) ||
    ts.isPropertySignature(parent) ||
    ts.isMethodSignature(parent) ||
    ts.isGetAccessor(parent) ||
    ts.isSetAccessor(parent) ||
    ts.isEnumMember(parent)

  return !(memberLike && parent.name === id)
}
