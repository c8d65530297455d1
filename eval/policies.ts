// The policies `npm run eval` compares, side by side. Add the real detection
// policy's factory here.
import { driftwatchCalibratedPolicy, driftwatchPolicy } from './driftwatch-policy.js';
import { naivePolicy } from './naive-policy.js';
import type { EvalPolicyFactory } from './policy.js';

export const POLICIES: readonly EvalPolicyFactory[] = [naivePolicy, driftwatchPolicy, driftwatchCalibratedPolicy];
