/* global require, module */
/* eslint-disable @typescript-eslint/no-require-imports -- loaded by Jest itself, untranspiled */
'use strict';
/**
 * Jest's order of test files, and for a run with no timings yet (a fresh clone, an emptied cache) the files that
 * run longest first, as Jest does itself once it has timings. Jest's own fallback is the file size, which put the
 * fuzz and the multi-instance tests anywhere, and a long one last left a core idle at the end.
 */
const Sequencer = require('@jest/test-sequencer').default;

/**
 * Folders whose files run longest (child processes, 10,000 fuzz runs), longest first. The lint
 * test is one small file that runs dependency-cruiser for 3 s: by size alone it came last, with a core idle.
 */
const LONGEST_FIRST = [/[\\/]test[\\/](?:fuzz|crash|fleet)[\\/]/, /[\\/]test[\\/](?:http|lint)[\\/]/];

class LongestFirstSequencer extends Sequencer {
  sort(tests) {
    const sorted = super.sort(tests);
    if (sorted.some((test) => test.duration != null)) return sorted;
    const rank = (test) => {
      const index = LONGEST_FIRST.findIndex((folder) => folder.test(test.path));
      return index < 0 ? LONGEST_FIRST.length : index;
    };
    // Array.prototype.sort is stable: within a rank, Jest's order (by size) stays.
    return sorted.sort((a, b) => rank(a) - rank(b));
  }
}

module.exports = LongestFirstSequencer;
