// keepOldGenerationTight fixes V8's old-generation growing factor for the
// agent, unless the operator chose one (on node's command line or in
// NODE_OPTIONS, in either spelling). Its effect on resident memory is
// measured by the soak (bench/agent-soak.ts, docs/memory.md), not here.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { HEAP_GROWING_PERCENT, favourMemoryOverSpeed, keepOldGenerationTight } from '../edge/old-generation.js';

const old = suite('old generation');

function flagsSet(nodeOptions: string[]): string[] {
  const set: string[] = [];
  keepOldGenerationTight(nodeOptions, (flags) => set.push(flags));
  return set;
}

old('sets --heap-growing-percent to 10 (a factor of 1.1) by default', () => {
  assert.is(HEAP_GROWING_PERCENT, 10);
  assert.equal(flagsSet([]), ['--heap-growing-percent=10']);
  assert.equal(flagsSet(['--max-semi-space-size=1', '--max-old-space-size=256']), ['--heap-growing-percent=10'], 'other heap options leave it to the agent');
});

old('an operator\'s own factor is kept, in either spelling and either place', () => {
  assert.equal(flagsSet(['--heap-growing-percent=100']), []);
  assert.equal(flagsSet(['', '--inspect --heap_growing_percent=50']), []);
});

old('the call reports whether it set the flag', () => {
  assert.is(keepOldGenerationTight([], () => {}), true);
  assert.is(keepOldGenerationTight(['--heap-growing-percent=10'], () => {}), false);
});


old('the relay thread\'s optimize-for-size mode is set unless the operator chose it', () => {
  const set: string[] = [];
  assert.is(favourMemoryOverSpeed([], (flags) => set.push(flags)), true);
  assert.equal(set, ['--optimize-for-size']);
  assert.is(favourMemoryOverSpeed(['--no-optimize-for-size'], () => {}), false);
  assert.is(favourMemoryOverSpeed(['', '--optimize_for_size'], () => {}), false);
});

old.run();
