/** `edgebench cleanup --kube` removes the APIServices a killed run left (autoscale registers one). */
import { expect, it } from 'vitest';
import { RUN_LABEL } from '../../src/kube/resources.js';
import { describeWith } from '../helpers/system.js';
import { cli, DEV_KUBECONFIG, devClient, devCluster } from './cluster-helpers.js';

describeWith('kube cleanup of leftover APIServices', devCluster, () => {
  it('lists, removes and then no longer finds a labelled APIService', async () => {
    const runId = `test-apisvc-${process.pid}`;
    const name = `v1alpha1.cleanup${process.pid}.edgebench.io`;
    const c = devClient();
    try {
      // A local APIService (no backing Service) is always Available, so it cannot disturb other tests meanwhile.
      await c.request('POST', '/apis/apiregistration.k8s.io/v1/apiservices', {
        body: { apiVersion: 'apiregistration.k8s.io/v1', kind: 'APIService', metadata: { name, labels: { [RUN_LABEL]: runId } }, spec: { group: `cleanup${process.pid}.edgebench.io`, version: 'v1alpha1', groupPriorityMinimum: 100, versionPriority: 10 } },
      });
      const dry = await cli(['cleanup', '--kube', '--run', runId, '--dry-run', '--kubeconfig', DEV_KUBECONFIG]);
      expect(dry.code, dry.stderr).toBe(0);
      expect(dry.stdout.trim()).toBe(`would remove: apiservice/${name}`);
      const check = await cli(['cleanup', '--kube', '--run', runId, '--check', '--kubeconfig', DEV_KUBECONFIG]);
      expect(check.code).toBe(1);
      expect(check.stdout.trim()).toBe(`leftovers: apiservice/${name}`);
      const r = await cli(['cleanup', '--kube', '--run', runId, '--kubeconfig', DEV_KUBECONFIG]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout.trim()).toBe(`removed: apiservice/${name}`);
      const after = await c.request('GET', `/apis/apiregistration.k8s.io/v1/apiservices/${name}`, { accept: [404] });
      expect(after.status).toBe(404);
      const clean = await cli(['cleanup', '--kube', '--run', runId, '--check', '--kubeconfig', DEV_KUBECONFIG]);
      expect(clean.code).toBe(0);
      expect(clean.stdout.trim()).toBe('leftovers: nothing');
    } finally {
      await c.request('DELETE', `/apis/apiregistration.k8s.io/v1/apiservices/${name}`, { accept: [404] }).catch(() => undefined);
      c.close();
    }
  }, 120_000);
});
