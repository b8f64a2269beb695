import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/**
 * Reading our own source code as TypeScript syntax trees, for the checks on code that
 * cannot run here (main/electron/ and preload/ need the Electron binary). Everything is
 * parsed from the files on disk, so a check always sees the code that ships.
 */

export const projectRoot = fileURLToPath(new URL('../..', import.meta.url));

const scriptKinds: Record<string, ts.ScriptKind> = {
  '.ts': ts.ScriptKind.TS,
  '.tsx': ts.ScriptKind.TSX,
  '.js': ts.ScriptKind.JS,
  '.mjs': ts.ScriptKind.JS,
  '.cjs': ts.ScriptKind.JS,
};

/** Parses a file of the project; `path` is relative to the project root. */
export function parse(path: string): ts.SourceFile {
  const kind = scriptKinds[extname(path)];
  if (kind === undefined) throw new Error(`${path} is not a script this check can read`);
  return ts.createSourceFile(path, readFileSync(join(projectRoot, path), 'utf8'), ts.ScriptTarget.Latest, true, kind);
}

function filesUnder(folder: string, extensions: string[]): string[] {
  const absolute = join(projectRoot, folder);
  if (!existsSync(absolute)) return [];
  return readdirSync(absolute, { recursive: true, encoding: 'utf8' })
    .map((name) => join(folder, name).split(sep).join('/'))
    .filter((path) => !path.includes('node_modules/') && statSync(join(projectRoot, path)).isFile())
    .filter((path) => extensions.includes(extname(path)));
}

/** The scripts that ship under these folders, tests left out. */
export function sourcesUnder(folders: string[]): ts.SourceFile[] {
  return folders
    .flatMap((folder) => filesUnder(folder, Object.keys(scriptKinds)))
    .filter((path) => !/\.test\.[cm]?[jt]sx?$/.test(path))
    .map(parse);
}

/** Other files under these folders (HTML pages, say), as text. */
export function textFilesUnder(folders: string[], extensions: string[]): { path: string; text: string }[] {
  return folders.flatMap((folder) => filesUnder(folder, extensions)).map((path) => ({ path, text: readFileSync(join(projectRoot, path), 'utf8') }));
}

/** `file:line` of a node, for failure messages. */
export function where(node: ts.Node): string {
  const file = node.getSourceFile();
  return `${file.fileName}:${file.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
}

export function descendants(node: ts.Node): ts.Node[] {
  const found: ts.Node[] = [];
  const visit = (child: ts.Node): void => {
    found.push(child);
    ts.forEachChild(child, visit);
  };
  ts.forEachChild(node, visit);
  return found;
}

type FunctionNode = ts.ArrowFunction | ts.FunctionExpression | ts.FunctionDeclaration | ts.MethodDeclaration;

/** The nodes of a function's own body, without those of the functions nested in it. */
function ownNodes(fn: FunctionNode): ts.Node[] {
  const found: ts.Node[] = [];
  const visit = (child: ts.Node): void => {
    found.push(child);
    if (!ts.isFunctionLike(child)) ts.forEachChild(child, visit);
  };
  if (fn.body) ts.forEachChild(fn.body, visit);
  return found;
}

/** Strips what does not change a value: parentheses, `as`, `satisfies`, `!`. */
export function unwrap(expression: ts.Expression): ts.Expression {
  let current = expression;
  while (ts.isParenthesizedExpression(current) || ts.isAsExpression(current) || ts.isSatisfiesExpression(current) || ts.isNonNullExpression(current)) {
    current = current.expression;
  }
  return current;
}

/** `object.method(...)` calls, where `object` is written exactly so (`ipcMain`, `session.defaultSession`...). */
export function callsTo(scope: ts.Node | ts.Node[], object: string | null, method: string): ts.CallExpression[] {
  const nodes = Array.isArray(scope) ? scope.flatMap((node) => descendants(node)) : descendants(scope);
  return nodes.filter((node): node is ts.CallExpression => {
    if (!ts.isCallExpression(node) || !ts.isPropertyAccessExpression(node.expression)) return false;
    const callee = node.expression;
    return callee.name.text === method && (object === null || callee.expression.getText() === object);
  });
}

/** Calls of a plain function: `name(...)`. */
export function callsOf(scope: ts.Node, name: string): ts.CallExpression[] {
  return descendants(scope).filter((node): node is ts.CallExpression => ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === name);
}

/** The function passed inline as argument `index` of a call; a check fails when it is not written inline. */
export function inlineFunctionArgument(call: ts.CallExpression, index: number): ts.ArrowFunction | ts.FunctionExpression {
  const argument = call.arguments[index];
  const fn = argument && unwrap(argument);
  if (!fn || !(ts.isArrowFunction(fn) || ts.isFunctionExpression(fn))) {
    throw new Error(`${where(call)}: expected an inline function as argument ${index + 1}, to be able to check it`);
  }
  return fn;
}

export function parameterName(fn: FunctionNode, index: number): string | null {
  const parameter = fn.parameters[index];
  return parameter && ts.isIdentifier(parameter.name) ? parameter.name.text : null;
}

/** The top-level function of that name: `function name() {}` or `const name = () => {}`. */
export function functionNamed(file: ts.SourceFile, name: string): FunctionNode {
  for (const statement of file.statements) {
    if (ts.isFunctionDeclaration(statement) && statement.name?.text === name) return statement;
    if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        const init = declaration.initializer && unwrap(declaration.initializer);
        if (ts.isIdentifier(declaration.name) && declaration.name.text === name && init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init))) return init;
      }
    }
  }
  throw new Error(`${file.fileName} has no top-level function ${name}`);
}

/**
 * What a function can return, path by path: its expression body, or each of its `return`
 * statements, plus `undefined` when the end of its block can be reached.
 */
export function returnedValues(fn: FunctionNode): (ts.Expression | undefined)[] {
  if (!fn.body) return [undefined];
  if (!ts.isBlock(fn.body)) return [fn.body];
  const returns = ownNodes(fn).filter(ts.isReturnStatement).map((statement) => statement.expression);
  const last = fn.body.statements.at(-1);
  const endReachable = !last || !(ts.isReturnStatement(last) || ts.isThrowStatement(last));
  return endReachable ? [...returns, undefined] : returns;
}

/** The statements a function runs first: its expression body, or its block's statements. */
export function bodyStatements(fn: FunctionNode): ts.Node[] {
  if (!fn.body) return [];
  return ts.isBlock(fn.body) ? [...fn.body.statements] : [fn.body];
}

/** `receiver.method()`, with no arguments (e.g. `event.preventDefault()`). */
export function isMethodCallOn(node: ts.Node, receiver: string, method: string): boolean {
  const expression = ts.isExpressionStatement(node) ? node.expression : node;
  if (!ts.isExpression(expression)) return false;
  const call = unwrap(expression);
  return (
    ts.isCallExpression(call) &&
    ts.isPropertyAccessExpression(call.expression) &&
    ts.isIdentifier(call.expression.expression) &&
    call.expression.expression.text === receiver &&
    call.expression.name.text === method
  );
}

/** `!name(argument)`, the negated call of a check on one identifier. */
export function isNegatedCheck(expression: ts.Expression, name: string, argument: string): boolean {
  const negation = unwrap(expression);
  if (!ts.isPrefixUnaryExpression(negation) || negation.operator !== ts.SyntaxKind.ExclamationToken) return false;
  const call = unwrap(negation.operand);
  return ts.isCallExpression(call) && ts.isIdentifier(call.expression) && call.expression.text === name && call.arguments.length === 1 && isIdentifierNamed(call.arguments[0], argument);
}

export function isIdentifierNamed(node: ts.Node | undefined, name: string | null): boolean {
  return node !== undefined && name !== null && ts.isIdentifier(node) && node.text === name;
}

/** The module a file imports a name from, or null when the name is not imported. */
export function importSourceOf(file: ts.SourceFile, name: string): string | null {
  for (const statement of file.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
    const bindings = statement.importClause?.namedBindings;
    if (bindings && ts.isNamedImports(bindings) && bindings.elements.some((element) => element.name.text === name)) return statement.moduleSpecifier.text;
  }
  return null;
}

/** Declares a local function or variable of that name (which would shadow an import). */
export function declaresLocally(file: ts.SourceFile, name: string): boolean {
  return descendants(file).some((node) => (ts.isFunctionDeclaration(node) || ts.isVariableDeclaration(node)) && node.name !== undefined && isIdentifierNamed(node.name, name));
}

export function propertyOf(object: ts.ObjectLiteralExpression, name: string): ts.Expression | undefined {
  for (const property of object.properties) {
    if (ts.isPropertyAssignment(property) && (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name)) && property.name.text === name) return property.initializer;
  }
  return undefined;
}

/** Every place a property or JSX attribute of that name is set, with the value it is given. */
export function settingsNamed(files: ts.SourceFile[], name: string): { at: string; value: string }[] {
  const wanted = name.toLowerCase();
  return files.flatMap((file) =>
    descendants(file).flatMap((node) => {
      if ((ts.isPropertyAssignment(node) || ts.isShorthandPropertyAssignment(node)) && (ts.isIdentifier(node.name) || ts.isStringLiteral(node.name)) && node.name.text === name) {
        return [{ at: where(node), value: ts.isPropertyAssignment(node) ? unwrap(node.initializer).getText() : node.name.text }];
      }
      if (ts.isJsxAttribute(node) && node.name.getText().toLowerCase() === wanted) {
        return [{ at: where(node), value: node.initializer ? node.initializer.getText() : 'true' }];
      }
      return [];
    }),
  );
}

/** Every string or template text in these files that matches. */
export function stringsMatching(files: ts.SourceFile[], pattern: RegExp): { at: string; text: string }[] {
  return files.flatMap((file) =>
    descendants(file)
      .filter((node) => ts.isStringLiteralLike(node) || ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node) || ts.isJsxText(node))
      .map((node) => ({ at: where(node), text: (node as ts.LiteralLikeNode).text }))
      .filter(({ text }) => pattern.test(text)),
  );
}
