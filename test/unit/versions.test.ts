import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RELEASE } from '../../contract/enquiry-workflow.js';

const root = path.join(__dirname, '../..');
const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
const changelog = readFileSync(path.join(root, 'CHANGELOG.md'), 'utf8');

describe('versions', () => {
  it('an enquiry started now carries the release of package.json (major.minor)', () => {
    expect(RELEASE).toBe(version.split('.').slice(0, 2).join('.'));
  });

  it('the changelog has a section for the version of package.json', () => {
    expect(changelog).toMatch(new RegExp(`^## ${version.replace(/\./g, '\\.')} — \\d{4}-\\d{2}-\\d{2}$`, 'm'));
  });
});
