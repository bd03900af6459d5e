// Node 20's assert builds the message of a failing one-argument `assert(x)` / `assert.ok(x)` by re-reading the
// test's source and re-parsing it with acorn from every token before the call. On the TypeScript files tsx runs
// that takes minutes (the parse never succeeds on TS syntax, so it retries token by token), so a failing
// assertion hung the whole run instead of failing it (seen on server.test.ts). Every such call in the Node
// tests therefore carries its own message; this test finds any that do not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

const root = new URL('../..', import.meta.url).pathname;

function nodeTestFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      if (name === 'node_modules' || name === 'dist' || name === '.tmp') continue;
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.tsx?$/.test(name) && !/\.browser\.test\.tsx?$/.test(name) && /(^|\/)test\//.test(relative(root, p))) out.push(p);
    }
  };
  for (const r of ['packages', 'examples', 'scripts']) walk(join(root, r));
  return out;
}

/** One-argument assert(x) / assert.ok(x) calls in `src`, as "line: text". */
export function bareAsserts(file: string, src: string): string[] {
  const sf = ts.createSourceFile(file, src, ts.ScriptTarget.Latest, true, file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const found: string[] = [];
  const visit = (n: ts.Node) => {
    if (ts.isCallExpression(n) && n.arguments.length === 1) {
      const c = n.expression;
      const isAssert =
        (ts.isIdentifier(c) && c.text === 'assert') ||
        (ts.isPropertyAccessExpression(c) && ts.isIdentifier(c.expression) && c.expression.text === 'assert' && c.name.text === 'ok');
      if (isAssert) found.push(`${sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1}: ${n.getText(sf).slice(0, 80)}`);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return found;
}

test('the check finds a bare assert and accepts one with a message', () => {
  assert.deepEqual(bareAsserts('x.ts', "assert.ok(a === 1);\nassert(b);\nassert.ok(c, 'c');\nfoo.assert(d);"), ['1: assert.ok(a === 1)', '2: assert(b)']);
});

test('every assert(x) / assert.ok(x) in the Node tests has a message (a bare one hangs the run when it fails)', () => {
  const bad = nodeTestFiles().flatMap((f) => bareAsserts(f, readFileSync(f, 'utf8')).map((b) => `${relative(root, f)}:${b}`));
  assert.deepEqual(bad, [], `give these a message as their second argument:\n${bad.join('\n')}`);
});
