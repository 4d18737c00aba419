/** `run --plan P --kubeconfig K --context C`: every runtime of the plan gets them as target options, over the plan's own. */
import { describe, expect, it } from 'vitest';
import { withClusterFlags } from '../../src/cli/plan-cli.js';
import { expandPlan, type Plan } from '../../src/plan/plan.js';

const plan: Plan = {
  schema: 'edgebench/plan',
  schemaVersion: 1,
  name: 'p',
  matrix: [
    {
      suite: 'cold-start',
      layers: ['kube', 'process'],
      runtimes: ['runc', { name: 'wasmedge', label: 'we', options: { kubeconfig: '/plan/kc', node: 'n1' } }],
      fixtures: ['noop'],
    },
  ],
};

describe('run --plan with cluster flags', () => {
  it('adds --kubeconfig and --context to every cell, overriding the plan, keeping its other options', () => {
    const cells = expandPlan(withClusterFlags(plan, { kubeconfig: '/cli/kc', context: 'edge' }));
    expect(cells.map((c) => [c.layer, c.label ?? c.runtime, c.options])).toEqual([
      ['kube', 'runc', { kubeconfig: '/cli/kc', context: 'edge' }],
      ['kube', 'we', { kubeconfig: '/cli/kc', node: 'n1', context: 'edge' }],
      ['process', 'runc', { kubeconfig: '/cli/kc', context: 'edge' }],
      ['process', 'we', { kubeconfig: '/cli/kc', node: 'n1', context: 'edge' }],
    ]);
  });

  it('leaves the plan as it is without them', () => {
    expect(withClusterFlags(plan, { quiet: true })).toBe(plan);
  });
});
