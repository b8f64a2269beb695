import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { resolveRendererFile } from '../../main/renderer-files';
import { appStartUrl, isAppUrl } from '../../main/security/app-origin';
import { contentSecurityPolicy } from '../../main/security/content-security-policy';
import { browserLinkTarget } from '../../main/security/external-links';
import { isTrustedSender } from '../../main/security/ipc-sender';
import { hardenedWebPreferences } from '../../main/security/window-policy';
import {
  bodyStatements,
  callsOf,
  callsTo,
  declaresLocally,
  descendants,
  functionNamed,
  importSourceOf,
  inlineFunctionArgument,
  isIdentifierNamed,
  isMethodCallOn,
  isNegatedCheck,
  parameterName,
  parse,
  projectRoot,
  propertyOf,
  returnedValues,
  settingsNamed,
  sourcesUnder,
  stringsMatching,
  textFilesUnder,
  unwrap,
  where,
} from './typescript-source';

/**
 * Electron's security checklist (https://www.electronjs.org/docs/latest/tutorial/security),
 * item by item, checked against the code that ships. Values come from the modules main
 * really uses (main/security/); the code that needs Electron to run (main/electron/,
 * preload/) is read as a TypeScript syntax tree. An item that does not apply to MIS Station
 * is still checked: the reason it does not apply must hold.
 */

const windowTs = parse('main/electron/window.ts');
const mainTs = parse('main/electron/main.ts');
const protocolTs = parse('main/electron/protocol.ts');
const preloadTs = parse('preload/index.ts');
/** Everything that ships in the app (tests left out) and the scripts that build and start it. */
const appCode = sourcesUnder(['main', 'preload', 'renderer', 'scripts']);
/** The code that loads pages: the Electron side, the preload and the page itself. */
const pageCode = sourcesUnder(['main/electron', 'preload', 'renderer']);
const electronCode = sourcesUnder(['main/electron', 'preload']);
const htmlPages = textFilesUnder(['renderer'], ['.html']);
const builtPage = join(projectRoot, 'dist', 'renderer', 'index.html');
const packageJson = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { devDependencies: Record<string, string>; dependencies: Record<string, string>; scripts: Record<string, string> };
const builderConfig = parseYaml(readFileSync(join(projectRoot, 'electron-builder.yml'), 'utf8')) as { asar?: unknown; electronFuses?: Record<string, boolean> };

/** Both variants main can build: with and without developer tools. */
const preferenceVariants = [hardenedWebPreferences('/opt/mis/preload.cjs', false), hardenedWebPreferences('/opt/mis/preload.cjs', true)];

const hardenWebContents = functionNamed(windowTs, 'hardenWebContents');
const denyPermissions = functionNamed(windowTs, 'denyPermissions');

/** The handler hardenWebContents registers for an event of the web contents. */
function webContentsHandler(event: string): ts.ArrowFunction | ts.FunctionExpression {
  const contents = parameterName(hardenWebContents, 0);
  const registrations = callsTo(hardenWebContents, contents, 'on').filter((call) => {
    const name = call.arguments[0];
    return name !== undefined && ts.isStringLiteral(name) && name.text === event;
  });
  expect(registrations, `hardenWebContents registers one '${event}' handler`).toHaveLength(1);
  return inlineFunctionArgument(registrations[0]!, 1);
}

/** The one handler a session method of denyPermissions is given. */
function permissionHandler(method: string): ts.ArrowFunction | ts.FunctionExpression {
  const calls = callsTo(denyPermissions, parameterName(denyPermissions, 0), method);
  expect(calls, `denyPermissions calls ${method} once`).toHaveLength(1);
  return inlineFunctionArgument(calls[0]!, 0);
}

/** `event.preventDefault()` as the statement itself, or as the sole effect of `if (!isAppUrl(url))`. */
function preventsUnlessAppUrl(statement: ts.Node | undefined, event: string | null, url: string | null): boolean {
  if (!statement || !event) return false;
  if (isMethodCallOn(statement, event, 'preventDefault')) return true;
  if (!ts.isIfStatement(statement) || statement.elseStatement || !url || !isNegatedCheck(statement.expression, 'isAppUrl', url)) return false;
  const then = ts.isBlock(statement.thenStatement) ? statement.thenStatement.statements[0] : statement.thenStatement;
  return then !== undefined && isMethodCallOn(then, event, 'preventDefault');
}

function isFalse(value: ts.Expression | undefined): boolean {
  return value !== undefined && unwrap(value).kind === ts.SyntaxKind.FalseKeyword;
}

/** Whether `node` sits in the then-branch of an `if (name !== null)` or `if (name)`. */
function runsOnlyWhenNotNull(node: ts.Node, name: string): boolean {
  for (let child = node, parent = node.parent; parent; child = parent, parent = parent.parent) {
    if (!ts.isIfStatement(parent) || parent.thenStatement !== child) continue;
    const condition = unwrap(parent.expression);
    if (isIdentifierNamed(condition, name)) return true;
    if (ts.isBinaryExpression(condition) && condition.operatorToken.kind === ts.SyntaxKind.ExclamationEqualsEqualsToken && isIdentifierNamed(condition.left, name) && condition.right.kind === ts.SyntaxKind.NullKeyword) return true;
  }
  return false;
}

function isInsideFunction(node: ts.Node): boolean {
  for (let parent = node.parent; parent; parent = parent.parent) if (ts.isFunctionLike(parent)) return true;
  return false;
}

/** The CSP as directive -> sources. */
function directivesOf(policy: string): Map<string, string[]> {
  const entries = policy
    .split(';')
    .map((part) => part.trim().split(/\s+/))
    .filter((parts) => parts[0])
    .map(([name, ...sources]) => [name!.toLowerCase(), sources] as const);
  return new Map(entries);
}

/** Problems that would let a page run script it did not load from its own origin. */
function inlineScriptProblems(html: string): string[] {
  const problems: string[] = [];
  for (const [, attributes = '', body = ''] of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi)) {
    if (!/\ssrc\s*=/i.test(` ${attributes}`)) problems.push(`an inline <script${attributes}>`);
    if (body.trim() !== '') problems.push(`script text inside <script${attributes}>`);
  }
  for (const [handler] of html.matchAll(/<[^>]*\son[a-z]+\s*=[^>]*>/gi)) problems.push(`an inline event handler: ${handler}`);
  if (/javascript:/i.test(html)) problems.push('a javascript: URL');
  return problems;
}

/** src/href values that leave the app's origin (a scheme, or a protocol-relative //host). */
function foreignResources(html: string): string[] {
  return [...html.matchAll(/\s(?:src|href)\s*=\s*["']([^"']*)["']/gi)].map(([, url = '']) => url).filter((url) => /^(?:[a-z][a-z0-9+.-]*:|\/\/)/i.test(url));
}

const appSchemePrivileges = (() => {
  const [declaration] = callsTo(protocolTs, 'protocol', 'registerSchemesAsPrivileged');
  const schemes = declaration && unwrap(declaration.arguments[0]!);
  const entry = schemes && ts.isArrayLiteralExpression(schemes) ? schemes.elements.map(unwrap).find(ts.isObjectLiteralExpression) : undefined;
  const privileges = entry && propertyOf(entry, 'privileges');
  if (!entry || !isIdentifierNamed(propertyOf(entry, 'scheme'), 'appScheme') || !privileges || !ts.isObjectLiteralExpression(privileges)) {
    throw new Error('main/electron/protocol.ts no longer declares the app scheme as privileged in a way this check can read');
  }
  return privileges;
})();

describe('Electron security checklist', () => {
  describe('1. Only load secure content', () => {
    it("loads the window only from the app's own page, on a scheme declared secure", () => {
      const loads = callsTo(appCode, null, 'loadURL');
      expect(loads.length).toBeGreaterThan(0);
      for (const load of loads) {
        expect(isIdentifierNamed(load.arguments[0], 'appStartUrl'), `${where(load)} loads ${load.arguments[0]?.getText()}`).toBe(true);
        expect(importSourceOf(load.getSourceFile(), 'appStartUrl')).toBe('../security/app-origin');
      }
      expect(appStartUrl).toMatch(/^app:\/\/mis\//);
      expect(propertyOf(appSchemePrivileges, 'secure')?.kind).toBe(ts.SyntaxKind.TrueKeyword);
      expect(propertyOf(appSchemePrivileges, 'standard')?.kind).toBe(ts.SyntaxKind.TrueKeyword);
    });

    it('lets the Electron page reach nothing on the network: every source of its CSP is the app itself, data: or blob:', () => {
      for (const [directive, sources] of directivesOf(contentSecurityPolicy())) {
        for (const source of sources) expect([`'self'`, `'none'`, 'data:', 'blob:'], `${directive} ${source}`).toContain(source);
      }
    });

    it.each(htmlPages.map((page) => [page.path, page.text]))('%s names no resource outside the app', (_path, html) => {
      expect(foreignResources(html)).toEqual([]);
    });
  });

  describe('2. Do not enable Node.js integration for remote content', () => {
    it.each(preferenceVariants)('gives the page no Node.js, in the page, its workers or its frames (devTools: $devTools)', (preferences) => {
      expect(preferences).toMatchObject({ nodeIntegration: false, nodeIntegrationInWorker: false, nodeIntegrationInSubFrames: false });
    });

    it('creates every window and view with the hardened preferences, unaltered', () => {
      const created = appCode
        .flatMap((file) => descendants(file))
        .filter((node): node is ts.NewExpression => ts.isNewExpression(node) && ['BrowserWindow', 'BrowserView', 'WebContentsView'].includes(node.expression.getText()));
      expect(created.length).toBeGreaterThan(0);
      for (const creation of created) {
        const options = creation.arguments?.[0] && unwrap(creation.arguments[0]);
        expect(options && ts.isObjectLiteralExpression(options), `${where(creation)} passes its options inline`).toBe(true);
        const literal = options as ts.ObjectLiteralExpression;
        expect(literal.properties.some(ts.isSpreadAssignment), `${where(creation)} spreads other options in`).toBe(false);
        const preferences = propertyOf(literal, 'webPreferences');
        const call = preferences && unwrap(preferences);
        expect(call && ts.isCallExpression(call) && isIdentifierNamed(call.expression, 'hardenedWebPreferences'), `${where(creation)} uses hardenedWebPreferences`).toBe(true);
        expect(importSourceOf(creation.getSourceFile(), 'hardenedWebPreferences')).toBe('../security/window-policy');
      }
    });

    it('turns Node.js on nowhere in the app', () => {
      const settings = ['nodeIntegration', 'nodeIntegrationInWorker', 'nodeIntegrationInSubFrames', 'nodeintegration', 'nodeintegrationinsubframes'].flatMap((name) => settingsNamed(appCode, name));
      expect(settings.filter(({ value }) => value !== 'false')).toEqual([]);
      for (const page of htmlPages) expect(page.text).not.toMatch(/nodeintegration/i);
    });
  });

  describe('3. Enable context isolation', () => {
    it.each(preferenceVariants)('isolates the preload from the page (devTools: $devTools)', (preferences) => {
      expect(preferences.contextIsolation).toBe(true);
    });

    it('turns context isolation off nowhere in the app', () => {
      expect(settingsNamed(appCode, 'contextIsolation').filter(({ value }) => value !== 'true')).toEqual([]);
    });
  });

  describe('4. Enable process sandboxing', () => {
    it.each(preferenceVariants)('sandboxes the page (devTools: $devTools)', (preferences) => {
      expect(preferences.sandbox).toBe(true);
    });

    it('sandboxes every renderer with app.enableSandbox(), at start-up before the app is ready', () => {
      const [enable, ...others] = callsTo(mainTs, 'app', 'enableSandbox');
      expect(enable, 'main.ts calls app.enableSandbox()').toBeDefined();
      expect(others).toEqual([]);
      expect(isInsideFunction(enable!), 'app.enableSandbox() runs at the top level of main.ts').toBe(false);
      const [ready] = callsTo(mainTs, 'app', 'whenReady');
      expect(ready && enable!.getStart() < ready.getStart(), 'app.enableSandbox() comes before app.whenReady()').toBe(true);
    });

    it('turns the sandbox off nowhere: no sandbox: false, no --no-sandbox', () => {
      expect(settingsNamed(appCode, 'sandbox').filter(({ value }) => value !== 'true')).toEqual([]);
      expect(stringsMatching(appCode, /no-sandbox|disable-gpu-sandbox/i)).toEqual([]);
      expect(Object.values(packageJson.scripts).join('\n')).not.toMatch(/no-sandbox/);
    });
  });

  describe('5. Handle session permission requests from remote content', () => {
    it('refuses every permission request', () => {
      const handler = permissionHandler('setPermissionRequestHandler');
      const callback = parameterName(handler, 2);
      const answers = callback === null ? [] : callsOf(handler, callback);
      expect(answers.length).toBeGreaterThan(0);
      for (const answer of answers) expect(isFalse(answer.arguments[0]), `${where(answer)} answers ${answer.arguments[0]?.getText()}`).toBe(true);
      const unconditional = bodyStatements(handler).some((statement) => {
        const expression = ts.isExpressionStatement(statement) ? statement.expression : statement;
        return ts.isExpression(expression) && answers.includes(unwrap(expression) as ts.CallExpression);
      });
      expect(unconditional, 'the request handler answers on every path').toBe(true);
    });

    it.each(['setPermissionCheckHandler', 'setDevicePermissionHandler'])('answers false on every path of %s', (method) => {
      const values = returnedValues(permissionHandler(method));
      expect(values.length).toBeGreaterThan(0);
      expect(values.every(isFalse), values.map((value) => value?.getText() ?? 'undefined').join(', ')).toBe(true);
    });

    it.each(preferenceVariants)('opens the window in the default session (devTools: $devTools)', (preferences) => {
      expect(preferences).not.toHaveProperty('partition');
      expect(preferences).not.toHaveProperty('session');
    });

    it('installs the handlers on the only session, before the window opens', () => {
      const [install] = callsOf(mainTs, 'denyPermissions');
      expect(install?.arguments[0]?.getText()).toBe('session.defaultSession');
      const [open] = callsOf(mainTs, 'createMainWindow');
      expect(open && install!.getStart() < open.getStart(), 'denyPermissions runs before createMainWindow').toBe(true);
      const otherSessions = [...callsTo(electronCode, null, 'fromPartition'), ...callsTo(electronCode, null, 'fromPath')].map(where);
      expect(otherSessions.concat(settingsNamed(appCode, 'partition').map(({ at }) => at), settingsNamed(electronCode, 'session').map(({ at }) => at))).toEqual([]);
    });
  });

  describe('6. Do not disable webSecurity', () => {
    it.each(preferenceVariants)('keeps the same-origin policy (devTools: $devTools)', (preferences) => {
      expect(preferences.webSecurity).toBe(true);
    });

    it('disables web security nowhere in the app', () => {
      expect(settingsNamed(appCode, 'webSecurity').filter(({ value }) => value !== 'true')).toEqual([]);
      expect(settingsNamed(appCode, 'disablewebsecurity')).toEqual([]);
      expect(stringsMatching(appCode, /disable-web-security|disable-site-isolation/i)).toEqual([]);
      for (const page of htmlPages) expect(page.text).not.toMatch(/disablewebsecurity/i);
    });
  });

  describe('7. Define a Content Security Policy', () => {
    const directives = directivesOf(contentSecurityPolicy());

    it("falls back to nothing: default-src 'none'", () => {
      expect(directives.get('default-src')).toEqual([`'none'`]);
    });

    it("runs only the app's own scripts: no inline script, no eval, no remote source", () => {
      expect(directives.get('script-src')).toEqual([`'self'`]);
      expect(contentSecurityPolicy()).not.toMatch(/unsafe-|strict-dynamic|\*/);
    });

    it('allows no plugins, no frames, no foreign <base>, no form posts, and no framing of the app', () => {
      expect(directives.get('object-src')).toEqual([`'none'`]);
      expect(directives.get('base-uri')).toEqual([`'none'`]);
      expect(directives.get('form-action')).toEqual([`'none'`]);
      expect(directives.get('frame-ancestors')).toEqual([`'none'`]);
      // Frames fall back to default-src 'none' while neither of these loosens it.
      expect(directives.has('frame-src') || directives.has('child-src')).toBe(false);
    });

    it('is the header of every page the app:// protocol serves, and the protocol may not bypass it', () => {
      const headers = descendants(protocolTs).filter(
        (node): node is ts.PropertyAssignment => ts.isPropertyAssignment(node) && ts.isStringLiteral(node.name) && node.name.text.toLowerCase() === 'content-security-policy',
      );
      expect(headers).toHaveLength(1);
      const value = unwrap(headers[0]!.initializer);
      expect(ts.isCallExpression(value) && isIdentifierNamed(value.expression, 'contentSecurityPolicy') && value.arguments.length === 0, 'the header is contentSecurityPolicy(), naming no other origin').toBe(true);
      expect(importSourceOf(protocolTs, 'contentSecurityPolicy')).toBe('../security/content-security-policy');
      expect(propertyOf(appSchemePrivileges, 'bypassCSP')).toBeUndefined();
    });

    it.each(htmlPages.map((page) => [page.path, page.text]))('%s has no inline script', (_path, html) => {
      expect(inlineScriptProblems(html)).toEqual([]);
    });

    it.runIf(existsSync(builtPage))('the built page (dist/renderer/index.html, built by npm test before the tests) has no inline script', () => {
      const html = readFileSync(builtPage, 'utf8');
      expect(inlineScriptProblems(html)).toEqual([]);
      expect(foreignResources(html)).toEqual([]);
    });
  });

  describe('8. Do not enable allowRunningInsecureContent', () => {
    it.each(preferenceVariants)('refuses mixed content (devTools: $devTools)', (preferences) => {
      expect(preferences.allowRunningInsecureContent).toBe(false);
    });

    it('allows insecure content nowhere in the app', () => {
      expect(settingsNamed(appCode, 'allowRunningInsecureContent').filter(({ value }) => value !== 'false')).toEqual([]);
      expect(stringsMatching(appCode, /allow-running-insecure-content/i)).toEqual([]);
    });
  });

  describe('9. Do not enable experimental features', () => {
    it.each(preferenceVariants)('keeps experimental features off (devTools: $devTools)', (preferences) => {
      expect(preferences.experimentalFeatures).toBe(false);
    });

    it('enables them nowhere in the app', () => {
      expect(settingsNamed(appCode, 'experimentalFeatures').filter(({ value }) => value !== 'false')).toEqual([]);
      expect(stringsMatching(appCode, /experimental-web-platform-features/i)).toEqual([]);
    });
  });

  describe('10. Do not use enableBlinkFeatures', () => {
    it.each(preferenceVariants)('names no Blink feature (devTools: $devTools)', (preferences) => {
      expect(preferences).not.toHaveProperty('enableBlinkFeatures');
    });

    it('enables Blink features nowhere in the app', () => {
      expect(settingsNamed(appCode, 'enableBlinkFeatures')).toEqual([]);
      expect(settingsNamed(appCode, 'blinkfeatures')).toEqual([]);
      expect(stringsMatching(appCode, /enable-blink-features/i)).toEqual([]);
    });
  });

  describe('11. Do not use allowpopups for WebViews', () => {
    it.each(preferenceVariants)('does not apply: the <webview> tag is off (devTools: $devTools)', (preferences) => {
      expect(preferences.webviewTag).toBe(false);
    });

    it('uses allowpopups nowhere in the app', () => {
      expect(settingsNamed(appCode, 'allowpopups')).toEqual([]);
      expect(stringsMatching(appCode, /allowpopups/i)).toEqual([]);
      for (const page of htmlPages) expect(page.text).not.toMatch(/allowpopups/i);
    });
  });

  describe('12. Verify WebView options before creation', () => {
    it('does not apply: the <webview> tag is off and every attempt to attach one is refused', () => {
      for (const preferences of preferenceVariants) expect(preferences.webviewTag).toBe(false);
      const handler = webContentsHandler('will-attach-webview');
      const [first] = bodyStatements(handler);
      expect(first !== undefined && isMethodCallOn(first, parameterName(handler, 0) ?? '', 'preventDefault'), 'will-attach-webview calls event.preventDefault() first, unconditionally').toBe(true);
    });

    it('the page never asks for a <webview>', () => {
      expect(stringsMatching(pageCode, /<webview/i)).toEqual([]);
      const elements = pageCode.flatMap((file) => descendants(file).filter((node) => (ts.isJsxOpeningElement(node) || ts.isJsxSelfClosingElement(node)) && node.tagName.getText() === 'webview'));
      expect(elements.map(where)).toEqual([]);
      for (const page of htmlPages) expect(page.text).not.toMatch(/<webview/i);
    });
  });

  describe('13. Disable or limit navigation', () => {
    it.each(['will-navigate', 'will-redirect'])('cancels a %s to anything but the app origin', (event) => {
      const handler = webContentsHandler(event);
      expect(preventsUnlessAppUrl(bodyStatements(handler)[0], parameterName(handler, 0), parameterName(handler, 1))).toBe(true);
      expect(importSourceOf(windowTs, 'isAppUrl')).toBe('../security/app-origin');
      expect(declaresLocally(windowTs, 'isAppUrl')).toBe(false);
    });

    it.each(['https://attacker.example/', 'app://mis.attacker.example/', 'app://attacker/mis', 'file:///etc/passwd', 'http://127.0.0.1:8420/', 'javascript:alert(1)'])(
      'treats %s as leaving the app',
      (url) => {
        expect(isAppUrl(url)).toBe(false);
      },
    );

    it('hardens every web contents the app ever creates, from the start', () => {
      const registrations = callsTo(mainTs, 'app', 'on').filter((call) => ts.isStringLiteral(call.arguments[0]!) && (call.arguments[0] as ts.StringLiteral).text === 'web-contents-created');
      expect(registrations).toHaveLength(1);
      const handler = inlineFunctionArgument(registrations[0]!, 1);
      const hardening = callsOf(handler, 'hardenWebContents');
      expect(hardening.length === 1 && isIdentifierNamed(hardening[0]!.arguments[0], parameterName(handler, 1))).toBe(true);
      expect(isInsideFunction(registrations[0]!), 'registered at start-up, not once the app is ready').toBe(false);
    });
  });

  describe('14. Disable or limit creation of new windows', () => {
    it("answers every window.open with action 'deny', on every path", () => {
      const registrations = callsTo(hardenWebContents, parameterName(hardenWebContents, 0), 'setWindowOpenHandler');
      expect(registrations).toHaveLength(1);
      const values = returnedValues(inlineFunctionArgument(registrations[0]!, 0));
      expect(values.length).toBeGreaterThan(0);
      for (const value of values) {
        const object = value && unwrap(value);
        const action = object && ts.isObjectLiteralExpression(object) ? propertyOf(object, 'action') : undefined;
        expect(action && ts.isStringLiteral(action) ? action.text : value?.getText(), 'window open handler answer').toBe('deny');
      }
    });

    it("allows a new window nowhere, and opens only the one main window", () => {
      expect(settingsNamed(electronCode, 'action').filter(({ value }) => value !== `'deny'`)).toEqual([]);
      expect(settingsNamed(appCode, 'overrideBrowserWindowOptions')).toEqual([]);
      const windows = appCode.flatMap((file) => descendants(file).filter((node) => ts.isNewExpression(node) && node.expression.getText() === 'BrowserWindow'));
      expect(windows.map(where)).toEqual([expect.stringMatching(/^main\/electron\/window\.ts:/)]);
    });
  });

  describe('15. Do not use shell.openExternal with untrusted content', () => {
    it('hands the operating system only links that browserLinkTarget has checked', () => {
      const opens = callsTo(appCode, null, 'openExternal');
      // The window open handler sends https links to the browser: the check must find it.
      expect(opens.length).toBeGreaterThan(0);
      for (const open of opens) {
        const link = open.arguments[0];
        expect(link && ts.isIdentifier(link), `${where(open)} opens a checked variable`).toBe(true);
        const name = (link as ts.Identifier).text;
        const declaration = descendants(open.getSourceFile()).find((node): node is ts.VariableDeclaration => ts.isVariableDeclaration(node) && isIdentifierNamed(node.name, name));
        const init = declaration?.initializer && unwrap(declaration.initializer);
        expect(init && ts.isCallExpression(init) && isIdentifierNamed(init.expression, 'browserLinkTarget'), `${where(open)}: ${name} comes from browserLinkTarget()`).toBe(true);
        expect(declaration!.parent.flags & ts.NodeFlags.Const, `${name} is const`).toBeTruthy();
        expect(importSourceOf(open.getSourceFile(), 'browserLinkTarget')).toBe('../security/external-links');
        expect(runsOnlyWhenNotNull(open, name), `${where(open)} runs only when ${name} is not null`).toBe(true);
      }
      expect(callsTo(appCode, null, 'openPath').map(where)).toEqual([]);
    });

    it.each([
      ['https://mis.example.ba/help', 'https://mis.example.ba/help'],
      ['http://mis.example.ba/help', null],
      ['file:///C:/Windows/System32/calc.exe', null],
      ['smb://attacker.example/share/run.exe', null],
      ['ms-msdt:/id PCWDiagnostic', null],
      ['https://mis.example.ba@attacker.example/', null],
    ])('opens %s as %s', (url, opened) => {
      expect(browserLinkTarget(url)).toBe(opened);
    });
  });

  describe('16. Use a current version of Electron', () => {
    const installed = (JSON.parse(readFileSync(join(projectRoot, 'node_modules', 'electron', 'package.json'), 'utf8')) as { version: string }).version;
    const lock = JSON.parse(readFileSync(join(projectRoot, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string }> };

    it('asks for Electron 45 and builds with it', () => {
      expect(packageJson.devDependencies.electron).toMatch(/^\^45\.\d+\.\d+$/);
      expect(Number(installed.split('.')[0])).toBeGreaterThanOrEqual(45);
      expect(installed.split('.')[0]).toBe(packageJson.devDependencies.electron!.replace(/^\^/, '').split('.')[0]);
      expect(lock.packages['node_modules/electron']?.version).toBe(installed);
    });
  });

  describe('17. Validate the sender of all IPC messages', () => {
    const methods = ['handle', 'handleOnce', 'on', 'once', 'addListener'];
    const registrations = methods.flatMap((method) => callsTo(appCode, null, method)).filter((call) => {
      const receiver = (call.expression as ts.PropertyAccessExpression).expression.getText();
      return receiver === 'ipcMain' || receiver.endsWith('.ipc');
    });

    it('checks the sender before anything else in every handler', () => {
      expect(registrations.length).toBeGreaterThan(0);
      for (const registration of registrations) {
        expect(registration.arguments[0]?.getText(), `${where(registration)} listens on a channel of ipcChannels`).toMatch(/^ipcChannels\.\w+$/);
        const handler = inlineFunctionArgument(registration, 1);
        const [first] = bodyStatements(handler);
        const guarded =
          first !== undefined &&
          ts.isIfStatement(first) &&
          !first.elseStatement &&
          isNegatedCheck(first.expression, 'isTrustedSender', parameterName(handler, 0) ?? '') &&
          (ts.isReturnStatement(first.thenStatement) || (ts.isBlock(first.thenStatement) && first.thenStatement.statements.length === 1 && ts.isReturnStatement(first.thenStatement.statements[0]!)));
        expect(guarded, `${where(registration)} starts with: if (!isTrustedSender(event)) return ...`).toBe(true);
        expect(importSourceOf(registration.getSourceFile(), 'isTrustedSender')).toBe('../security/ipc-sender');
        expect(declaresLocally(registration.getSourceFile(), 'isTrustedSender')).toBe(false);
      }
    });

    it("trusts only the app's own main frame", () => {
      const mainFrame = { url: 'app://mis/index.html' };
      expect(isTrustedSender({ senderFrame: mainFrame, sender: { mainFrame } })).toBe(true);
      expect(isTrustedSender({ senderFrame: { url: 'app://mis/index.html' }, sender: { mainFrame } })).toBe(false);
      const foreign = { url: 'https://attacker.example/' };
      expect(isTrustedSender({ senderFrame: foreign, sender: { mainFrame: foreign } })).toBe(false);
      expect(isTrustedSender({ senderFrame: null, sender: { mainFrame } })).toBe(false);
    });
  });

  describe('18. Avoid usage of the file:// protocol and prefer usage of custom protocols', () => {
    it('loads no page from a file', () => {
      expect(callsTo(appCode, null, 'loadFile').map(where)).toEqual([]);
      expect(stringsMatching(pageCode, /\bfile:\/\//i)).toEqual([]);
      expect(['registerFileProtocol', 'interceptFileProtocol'].flatMap((method) => callsTo(appCode, null, method)).map(where)).toEqual([]);
    });

    it('serves the renderer from app:// instead, and only files inside its folder', () => {
      const [handle, ...others] = callsTo(protocolTs, 'protocol', 'handle');
      expect(others).toEqual([]);
      expect(isIdentifierNamed(handle?.arguments[0], 'appScheme')).toBe(true);
      expect(resolveRendererFile('/opt/mis/renderer', '/assets/app.js')).toBe('/opt/mis/renderer/assets/app.js');
      for (const escape of ['/../station.json', '/%2e%2e/station.json', '/..%5cstation.json']) expect(resolveRendererFile('/opt/mis/renderer', escape)).toBeNull();
    });

    it('gives file:// pages no extra privileges in the packaged binary', () => {
      expect(builderConfig.electronFuses?.grantFileProtocolExtraPrivileges).toBe(false);
    });
  });

  describe('19. Check which fuses you can change', () => {
    it('flips the fuses an app like this one does not need', () => {
      expect(builderConfig.electronFuses).toEqual({
        runAsNode: false,
        enableCookieEncryption: true,
        enableNodeOptionsEnvironmentVariable: false,
        enableNodeCliInspectArguments: false,
        enableEmbeddedAsarIntegrityValidation: true,
        onlyLoadAppFromAsar: true,
        grantFileProtocolExtraPrivileges: false,
      });
    });

    it('names only fuses electron-builder knows, and packs the app in the asar the fuses check', () => {
      const schema = JSON.parse(readFileSync(join(projectRoot, 'node_modules', 'app-builder-lib', 'scheme.json'), 'utf8')) as { definitions: { FuseOptionsV1: { properties: Record<string, unknown> } } };
      for (const fuse of Object.keys(builderConfig.electronFuses ?? {})) expect(Object.keys(schema.definitions.FuseOptionsV1.properties)).toContain(fuse);
      expect(builderConfig.asar).toBe(true);
    });
  });

  describe('20. Do not expose Electron APIs to untrusted web content', () => {
    it('exposes one thing to the page, window.mis, made of functions of its own', () => {
      expect(callsTo(preloadTs, 'contextBridge', 'exposeInIsolatedWorld')).toEqual([]);
      const exposures = callsTo(preloadTs, 'contextBridge', 'exposeInMainWorld');
      expect(exposures).toHaveLength(1);
      const [key, value] = exposures[0]!.arguments;
      expect(key && ts.isStringLiteral(key) ? key.text : key?.getText()).toBe('mis');
      expect(value && ts.isIdentifier(value), 'the exposed value is a named object').toBe(true);
      const declaration = descendants(preloadTs).find((node): node is ts.VariableDeclaration => ts.isVariableDeclaration(node) && isIdentifierNamed(node.name, (value as ts.Identifier).text));
      const object = declaration?.initializer && unwrap(declaration.initializer);
      expect(object && ts.isObjectLiteralExpression(object)).toBe(true);
      for (const member of (object as ts.ObjectLiteralExpression).properties) {
        const isOwnFunction = ts.isMethodDeclaration(member) || (ts.isPropertyAssignment(member) && (ts.isArrowFunction(unwrap(member.initializer)) || ts.isFunctionExpression(unwrap(member.initializer))));
        expect(isOwnFunction, `window.mis.${member.name?.getText()} is a function written in the preload`).toBe(true);
      }
    });

    it('uses ipcRenderer only to invoke and listen on the fixed channels, never hands it over', () => {
      const uses = descendants(preloadTs).filter((node): node is ts.Identifier => ts.isIdentifier(node) && node.text === 'ipcRenderer' && !ts.isImportSpecifier(node.parent));
      expect(uses.length).toBeGreaterThan(0);
      for (const use of uses) {
        const access = use.parent;
        const call = access.parent;
        const allowed = ts.isPropertyAccessExpression(access) && ['invoke', 'on'].includes(access.name.text) && ts.isCallExpression(call) && call.expression === access && /^ipcChannels\.\w+$/.test(call.arguments[0]?.getText() ?? '');
        expect(allowed, `${where(use)}: ${call.getText().slice(0, 80)}`).toBe(true);
      }
    });

    it("never passes Electron's event object to the page", () => {
      for (const listen of callsTo(preloadTs, 'ipcRenderer', 'on')) {
        const listener = inlineFunctionArgument(listen, 1);
        const event = parameterName(listener, 0);
        const mentions = descendants(listener.body).filter((node) => isIdentifierNamed(node, event));
        expect(mentions.map(where)).toEqual([]);
      }
    });

    it('puts nothing else on the page: no globals from the preload, no remote module, no electron in the renderer', () => {
      const assignments = descendants(preloadTs).filter(
        (node) => ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && /^(window|globalThis|self)\b/.test(node.left.getText()),
      );
      expect(assignments.map(where)).toEqual([]);
      expect({ ...packageJson.dependencies, ...packageJson.devDependencies }).not.toHaveProperty('@electron/remote');
      const rendererImports = sourcesUnder(['renderer']).flatMap((file) =>
        descendants(file).filter((node) => ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier) && node.moduleSpecifier.text.startsWith('electron')),
      );
      expect(rendererImports.map(where)).toEqual([]);
    });
  });
});
