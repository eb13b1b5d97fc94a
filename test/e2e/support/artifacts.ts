import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

/** Where e2e output goes: `test-results/e2e/` (ignored by git). */
export const RESULTS_DIR = path.join(REPO_ROOT, 'test-results', 'e2e');

export function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 120) || 'unnamed'
  );
}

/** The running test's name as jest reports it (describe and it), or `setup` outside a test. */
function currentTestName(): string {
  return expect.getState().currentTestName ?? 'setup';
}

/**
 * Numbered screenshots per test: `test-results/e2e/<test>/<nn>-<step>.png`. Kept on success as well, so a run
 * leaves a picture of every step (the README borrows two of them).
 */
export class StepShots {
  private readonly counters = new Map<string, number>();

  constructor(private readonly page: Page) {}

  async take(step: string): Promise<string> {
    const test = slug(currentTestName());
    const n = (this.counters.get(test) ?? 0) + 1;
    this.counters.set(test, n);
    if (n === 1) fs.rmSync(path.join(RESULTS_DIR, test), { recursive: true, force: true });
    const file = path.join(RESULTS_DIR, test, `${String(n).padStart(2, '0')}-${slug(step)}.png`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    await this.page.screenshot({ path: file });
    return file;
  }
}
