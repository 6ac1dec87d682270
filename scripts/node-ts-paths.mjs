// Lets Node run the repo's TypeScript scripts directly (Node >= 24 strips types natively):
//   node --import ./scripts/node-ts-paths.mjs scripts/device-client/cli.ts --help
// Node's type stripping resolves neither tsconfig "paths" nor extension-less relative imports.
// This in-thread resolve hook (module.registerHooks) adds exactly those two things:
//   1. "@platform/..." and any other alias in tsconfig.base.json compilerOptions.paths;
//   2. "./x" → "./x.ts" or "./x/index.ts" when imported from a .ts file;
// and marks the repo's .ts files as ES modules (package.json has no "type").
// It does not transpile anything: enums, namespaces and parameter properties stay unsupported.
import { existsSync, readFileSync, statSync } from 'node:fs';
import * as nodeModule from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

if (typeof nodeModule.registerHooks !== 'function') {
  throw new Error(
    `node-ts-paths needs Node >= 24 (module.registerHooks); this is ${process.version}`,
  );
}

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

async function readTsconfig(file) {
  const text = readFileSync(file, 'utf8');
  try {
    return JSON.parse(text);
  } catch {
    // tsconfig allows comments and trailing commas: fall back to TypeScript's own reader.
    const { default: ts } = await import('typescript');
    const { config, error } = ts.parseConfigFileTextToJson(file, text);
    if (error) throw new Error(`Cannot read ${file}: ${String(error.messageText)}`);
    return config;
  }
}

const tsconfig = await readTsconfig(path.join(repoRoot, 'tsconfig.base.json'));
const options = tsconfig.compilerOptions ?? {};
const pathsBase = path.resolve(repoRoot, options.baseUrl ?? '.');
const aliases = Object.entries(options.paths ?? {}).map(([pattern, targets]) => {
  const star = pattern.indexOf('*');
  return {
    prefix: star === -1 ? pattern : pattern.slice(0, star),
    suffix: star === -1 ? '' : pattern.slice(star + 1),
    wildcard: star !== -1,
    targets,
  };
});

const isFile = (file) => existsSync(file) && statSync(file).isFile();

function matchAlias(specifier) {
  for (const alias of aliases) {
    if (!alias.wildcard) {
      if (specifier !== alias.prefix) continue;
      const found = alias.targets.map((t) => path.resolve(pathsBase, t)).find(isFile);
      if (found) return found;
      continue;
    }
    if (!specifier.startsWith(alias.prefix) || !specifier.endsWith(alias.suffix)) continue;
    if (specifier.length < alias.prefix.length + alias.suffix.length) continue;
    const captured = specifier.slice(alias.prefix.length, specifier.length - alias.suffix.length);
    for (const target of alias.targets) {
      const file = path.resolve(pathsBase, target.replace('*', captured));
      for (const candidate of [file, `${file}.ts`, path.join(file, 'index.ts')]) {
        if (isFile(candidate)) return candidate;
      }
    }
  }
  return undefined;
}

function resolveRelativeTs(specifier, parentURL) {
  if (!parentURL?.startsWith('file:') || !/\.[cm]?ts$/.test(parentURL)) return undefined;
  if (!specifier.startsWith('./') && !specifier.startsWith('../')) return undefined;
  const file = fileURLToPath(new URL(specifier, parentURL));
  if (isFile(file)) return undefined;
  return [`${file}.ts`, path.join(file, 'index.ts')].find(isFile);
}

const repoRootUrl = pathToFileURL(repoRoot).href;

nodeModule.registerHooks({
  resolve(specifier, context, nextResolve) {
    const file = matchAlias(specifier) ?? resolveRelativeTs(specifier, context.parentURL);
    return nextResolve(file ? pathToFileURL(file).href : specifier, context);
  },
  load(url, context, nextLoad) {
    // The repo's package.json has no "type": our .ts sources are ES modules, so say so up front
    // (saves Node a failed CommonJS parse and its MODULE_TYPELESS_PACKAGE_JSON warning).
    if (url.startsWith(repoRootUrl) && url.endsWith('.ts') && !url.includes('/node_modules/')) {
      return nextLoad(url, { ...context, format: 'module-typescript' });
    }
    return nextLoad(url, context);
  },
});
