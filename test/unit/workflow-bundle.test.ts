import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, inject, it } from 'vitest';

/**
 * The workflow bundle holds the process and small pure functions only: no schema library
 * (validation happens at the boundaries, before anything enters a workflow), no Node
 * built-ins. Its modules are evaluated once per V8 context and shared by every workflow in
 * it (worker/bundle.ts, `preloadModules`), so they must keep no state at module level.
 */
describe('the workflow bundle', () => {
  const code = readFileSync(inject('workflowBundlePath'), 'utf8');
  const packages = new Set([...code.matchAll(/node_modules\/((?:@[a-z0-9._-]+\/)?[a-z0-9._-]+)/g)].map((m) => m[1]));

  it('holds only the Temporal workflow runtime and what it needs, no schema library', () => {
    expect([...packages].sort()).toEqual(['@temporalio/common', '@temporalio/workflow', 'long', 'ms', 'nexus-rpc']);
  });

  it('stays small: each workflow thread evaluates it', () => {
    expect(code.length).toBeLessThan(2_200_000);
  });

  it('keeps no state at module level in Lotse’s modules, which every workflow shares', () => {
    const modules = [...code.matchAll(/^\/\*\*\*\/ "\.\/((?:workflows|domain|infra)\/[\w./-]+\.ts)"$/gm)].map(
      (m) => m[1]!,
    );
    expect(modules).toContain('workflows/enquiry.ts');
    const found = modules.flatMap((file) =>
      moduleState(readFileSync(path.join(__dirname, '../..', file), 'utf8')).map((s) => `${file}: ${s}`),
    );
    expect(found).toEqual([]);
  });

  it('would see such state', () => {
    const source = 'let count = 0;\nconst seen = new Map();\nclass A { static last = 1; }\nconst ok = [1];';
    expect(moduleState(source)).toEqual(['let count', 'seen = new Map', 'static last']);
  });
});

const COLLECTIONS = /^(Map|Set|WeakMap|WeakSet|Array)$/;

/** What a module could remember from one workflow to the next: `let`/`var`, collections, static fields. */
function moduleState(source: string): string[] {
  const file = ts.createSourceFile('m.ts', source, ts.ScriptTarget.ES2022);
  const found: string[] = [];
  for (const statement of file.statements) {
    if (ts.isVariableStatement(statement)) {
      const { flags, declarations } = statement.declarationList;
      for (const d of declarations) {
        const name = d.name.getText(file);
        const made = d.initializer && ts.isNewExpression(d.initializer) ? d.initializer.expression.getText(file) : '';
        if (!(flags & ts.NodeFlags.Const)) found.push(`${flags & ts.NodeFlags.Let ? 'let' : 'var'} ${name}`);
        else if (COLLECTIONS.test(made)) found.push(`${name} = new ${made}`);
      }
    }
    if (ts.isClassDeclaration(statement)) {
      for (const member of statement.members) {
        const isStatic = ts
          .getModifiers(member as ts.HasModifiers)
          ?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword);
        if (isStatic && ts.isPropertyDeclaration(member)) found.push(`static ${member.name.getText(file)}`);
      }
    }
  }
  return found;
}
