import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { connect, loadKubeConfig } from '../../src/kube/access.js';
import { UserError } from '../../src/util/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'eb-kube-'));
const write = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const kubeconfig = (server: string) => `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "${server}", insecure-skip-tls-verify: true}}]
users: [{name: u, user: {token: nope}}]
contexts: [{name: x, context: {cluster: c, user: u}}]
current-context: x
`;

describe('kube access: bad input is one UserError line', () => {
  it('missing kubeconfig', () => {
    expect(() => loadKubeConfig({ kubeconfig: join(dir, 'absent') })).toThrowError(/kubeconfig .*absent: no such file/);
  });
  it('malformed kubeconfig', () => {
    const p = write('bad', 'clusters: [ {{{ not yaml');
    expect(() => loadKubeConfig({ kubeconfig: p })).toThrowError(UserError);
    expect(() => loadKubeConfig({ kubeconfig: write('empty', 'kind: Config\n') })).toThrowError(/names no cluster with a server/);
  });
  it('unknown context', () => {
    expect(() => loadKubeConfig({ kubeconfig: write('ok', kubeconfig('https://127.0.0.1:1')), context: 'nope' })).toThrowError(/no context "nope" \(contexts: x\)/);
  });
  it('unreachable cluster', async () => {
    await expect(connect({ kubeconfig: write('ok2', kubeconfig('https://127.0.0.1:1')) })).rejects.toThrowError(/cluster https:\/\/127.0.0.1:1 .*unreachable/);
  });
});

describe('kubeconfig-lite', () => {
  it('reads static credentials, relative files, and hands exec users to client-node', async () => {
    writeFileSync(join(dir, 'tok'), 'secret-token\n');
    const p = write('lite', `apiVersion: v1
clusters: [{name: c, cluster: {server: "https://127.0.0.1:6443", certificate-authority-data: "${Buffer.from('CA').toString('base64')}"}}]
users: [{name: u, user: {tokenFile: tok}}, {name: e, user: {exec: {command: /bin/false, apiVersion: client.authentication.k8s.io/v1beta1}}}]
contexts: [{name: x, context: {cluster: c, user: u}}, {name: y, context: {cluster: c, user: e}}]
current-context: x
`);
    const { kc } = loadKubeConfig({ kubeconfig: p });
    const o: import('node:https').RequestOptions = {};
    await kc.applyToHTTPSOptions(o);
    expect(o.headers).toEqual({ Authorization: 'Bearer secret-token' });
    expect(String(o.ca)).toBe('CA');
    expect(kc.getCurrentCluster()?.server).toBe('https://127.0.0.1:6443');
    const exec = loadKubeConfig({ kubeconfig: p, context: 'y' });
    expect(exec.kc.constructor.name).not.toBe('LiteKubeConfig');
  });
});
