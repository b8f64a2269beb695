// The dependency directions of ARCHITECTURE.md, checked on every relative import.
// no-restricted-imports handles packages (electron, Node built-ins); this rule handles
// our own folders, where what matters is the folder an import lands in, whatever the
// number of `../` it takes to get there.
import { dirname, relative, resolve, sep } from 'node:path';

const projectRoot = resolve(dirname(new URL(import.meta.url).pathname), '..');

/** Which of our folders each folder may import, and how. */
const allowed = {
  domain: { domain: 'any' },
  devices: { devices: 'any', domain: 'any' },
  'main/electron': { 'main/electron': 'any', 'main/api': 'any', main: 'any', devices: 'any', domain: 'any', 'package.json': 'any' },
  // main/ outside main/electron/ never reaches into it: that code must run without Electron.
  main: { main: 'any', 'main/api': 'any', devices: 'any', domain: 'any', 'package.json': 'any' },
  preload: { preload: 'any', 'main/api': 'any' },
  renderer: { renderer: 'any', 'main/api': 'types', domain: 'any' },
  'sync-server': { 'sync-server': 'any', domain: 'any', 'package.json': 'any' },
};

const layerNames = Object.keys(allowed).sort((a, b) => b.length - a.length);
const targetNames = [...new Set(Object.values(allowed).flatMap((targets) => Object.keys(targets)))].sort((a, b) => b.length - a.length);

function layerOf(path, names) {
  const rel = relative(projectRoot, path).split(sep).join('/');
  if (rel.startsWith('..')) return null;
  return names.find((name) => rel === name || rel.startsWith(`${name}/`)) ?? null;
}

/** The folder an import lands in, or 'outside' for a project folder no layer lists (test/, bench/…). */
function targetOf(path) {
  const rel = relative(projectRoot, path).split(sep).join('/');
  if (rel.startsWith('..')) return 'outside the project';
  return targetNames.find((name) => rel === name || rel.startsWith(`${name}/`)) ?? rel.split('/')[0];
}

function isTypeOnly(node) {
  if (node.importKind === 'type' || node.exportKind === 'type') return true;
  return node.type === 'ImportDeclaration' && node.specifiers.length > 0 && node.specifiers.every((s) => s.importKind === 'type');
}

export const layersRule = {
  meta: {
    type: 'problem',
    docs: { description: 'Imports between project folders follow the dependency directions of ARCHITECTURE.md.' },
    messages: {
      forbidden: '{{from}}/ may not import from {{to}}/ (ARCHITECTURE.md: dependency directions).',
      typesOnly: '{{from}}/ may import only types from {{to}}/: use `import type`.',
    },
    schema: [],
  },
  create(context) {
    const file = context.filename;
    const from = layerOf(file, layerNames);
    if (!from) return {};

    // Tests beside the code may use the shared test helpers in test/.
    const isTest = /\.test\.tsx?$/.test(file);

    function check(node, source) {
      if (typeof source !== 'string' || !source.startsWith('.')) return;
      const to = targetOf(resolve(dirname(file), source));
      const permission = isTest && to === 'test' ? 'any' : allowed[from][to];
      if (!permission) context.report({ node, messageId: 'forbidden', data: { from, to } });
      else if (permission === 'types' && !isTypeOnly(node)) context.report({ node, messageId: 'typesOnly', data: { from, to } });
    }

    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
    };
  },
};

export default { rules: { layers: layersRule } };
