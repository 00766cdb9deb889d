// The import graph's direction: http → services → db | clinical | llm | audit, with access/ and errors.ts below both.
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const root = path.resolve(__dirname, '../..');
const src = path.join(root, 'src');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'generated' ? [] : sourceFiles(full);
    return /\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

/** Every module a file imports, re-exports, require()s or import()s, resolved to a path when relative. */
function importsOf(file: string, text: string): string[] {
  const { importedFiles } = ts.preProcessFile(text, true, true);
  return importedFiles.map((f) => (f.fileName.startsWith('.') ? path.resolve(path.dirname(file), f.fileName) : f.fileName));
}

const rel = (p: string) => path.relative(root, p).split(path.sep).join('/');
const inside = (target: string, dir: string) => target === dir || target.startsWith(dir + path.sep);

const read = (file: string) => ({ file, text: fs.readFileSync(file, 'utf8') });

/** `file imports target` for each import that lands in one of `forbidden` (folders or module paths without extension). */
function violations(files: { file: string; text: string }[], forbidden: string[]): string[] {
  return files.flatMap(({ file, text }) =>
    importsOf(file, text)
      .filter((target) => forbidden.some((dir) => inside(target.replace(/\.(ts|js)$/, ''), dir)))
      .map((target) => `${rel(file)} imports ${rel(target)}`),
  );
}

const http = path.join(src, 'http');
const services = path.join(src, 'services');
const below = ['services', 'db', 'clinical', 'llm', 'audit'].map((d) => path.join(src, d));

test('the scanner sees every form of import (so the checks below can fail)', () => {
  const file = path.join(services, 'example.ts');
  const text = [
    "import { a } from '../http/auth';",
    "import type { B } from '../http/errors';",
    "export { c } from '../http/routes/wards';",
    "const d = require('../http/app');",
    "const e = await import('../http/server');",
  ].join('\n');
  expect(violations([{ file, text }], [http])).toEqual([
    'src/services/example.ts imports src/http/auth',
    'src/services/example.ts imports src/http/errors',
    'src/services/example.ts imports src/http/routes/wards',
    'src/services/example.ts imports src/http/app',
    'src/services/example.ts imports src/http/server',
  ]);
  expect(violations([{ file, text: "import { z } from 'zod';\nimport { canSeeWard } from '../access/policy';" }], [http])).toEqual([]);
});

test('nothing in services, db, clinical, llm or audit imports from http', () => {
  expect(violations(below.flatMap(sourceFiles).map(read), [http])).toEqual([]);
});

test('the access policy and the domain errors import from neither http nor services', () => {
  const files = [...sourceFiles(path.join(src, 'access')), path.join(src, 'errors.ts')];
  expect(files.length).toBeGreaterThan(1);
  expect(violations(files.map(read), [http, services])).toEqual([]);
});

test('db, clinical, llm and audit do not import use cases from services', () => {
  const files = ['db', 'clinical', 'llm', 'audit'].flatMap((d) => sourceFiles(path.join(src, d)));
  expect(violations(files.map(read), [services])).toEqual([]);
});
