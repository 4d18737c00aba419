/** One provisioning session: transport from flags, facts, plan, then dry-run print or execution. */
import { dirname, resolve } from 'node:path';
import { UserError } from '../util/errors.js';
import { loadCatalogue, type Catalogue } from './catalogue.js';
import { buildConfig, readConfigFile, type ConfigFile } from './config.js';
import { executePlan, type StepOutcome } from './execute.js';
import { gatherFacts } from './facts.js';
import { defaultCacheDir, removePartials } from './fetch.js';
import { planProvision, planTeardown } from './plan.js';
import { renderPlan } from './render.js';
import { checkTargetPath } from './sh.js';
import { LocalTransport, SshTransport, type Transport } from './transport.js';
import type { HostFacts, Plan, Profile, ProvisionConfig, VersionSet } from './types.js';

/**
 * Runs `fn` so that SIGINT stops it cleanly: partial downloads are deleted, exit code 130. Steps
 * already done stay done (their checks pass), so rerunning continues where it stopped.
 */
export async function interruptible<T>(what: string, fn: () => Promise<T>): Promise<T> {
  const onSignal = (): void => {
    removePartials();
    process.stderr.write(`${what}: interrupted; completed steps stay done — rerun to continue\n`);
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  try {
    return await fn();
  } finally {
    process.off('SIGINT', onSignal);
  }
}

/** Where and how to connect. */
export interface TargetOptions {
  host?: string | undefined;
  port?: number | undefined;
  identity?: string | undefined;
  sshOptions?: string[] | undefined;
}

/** Opens the transport for --host (ssh) or the local machine. */
export function openTransport(o: TargetOptions): Transport {
  return o.host ? new SshTransport(o.host, { port: o.port, identity: o.identity, options: o.sshOptions }) : new LocalTransport();
}

/** Probes the target and switches to sudo when needed. */
export async function probe(t: Transport, root: string): Promise<HostFacts> {
  const f = await gatherFacts(t, root);
  if (f.isRoot || !f.sudo) return f;
  // Not root but sudo works: from here on everything runs through sudo -n, so probe again as root
  // (an existing K3s config is readable by root only); keep what the user-level probe found out.
  t.sudo = true;
  return { ...(await gatherFacts(t, root)), isRoot: false, sudo: true };
}

/** Inputs of a provision run, as the CLI parsed them. */
export interface ProvisionRequest extends TargetOptions {
  profile?: Profile | undefined;
  configFile?: string | undefined;
  catalogueFile?: string | undefined;
  root?: string | undefined;
  cacheDir?: string | undefined;
  versions?: Partial<VersionSet> | undefined;
}

/** Loads catalogue and config for a request. */
export function resolveRequest(r: ProvisionRequest): { cat: Catalogue; file: ConfigFile; config: ProvisionConfig; target: TargetOptions } {
  const cat = loadCatalogue(r.catalogueFile ? resolve(r.catalogueFile) : undefined);
  const file = r.configFile ? readConfigFile(resolve(r.configFile)) : {};
  const config = buildConfig(cat, {
    ...(r.profile ? { profile: r.profile } : {}),
    file,
    ...(r.configFile ? { filePath: resolve(r.configFile), fileDir: dirname(resolve(r.configFile)) } : {}),
    ...(r.root ? { root: resolve(r.root) } : {}),
    ...(r.versions ? { versions: r.versions } : {}),
  });
  return { cat, file, config, target: { ...r, host: r.host ?? file.host } };
}

/** Result of a provision or teardown. */
export interface SessionResult {
  plan: Plan;
  outcomes: StepOutcome[] | null;
}

/** Plans (and unless dryRun, executes) provisioning. */
export async function provision(r: ProvisionRequest, o: { dryRun: boolean; log?: (l: string) => void; out?: (s: string) => void }): Promise<SessionResult> {
  const { cat, config, target } = resolveRequest(r);
  const t = openTransport(target);
  try {
    const facts = await probe(t, config.root);
    const plan = planProvision(config, facts, cat);
    if (o.dryRun) {
      o.out?.(renderPlan(plan));
      return { plan, outcomes: null };
    }
    const outcomes = await executePlan(t, plan, { cacheDir: r.cacheDir ?? defaultCacheDir(), catalogueFile: cat.file, ...(o.log ? { log: o.log } : {}) });
    return { plan, outcomes };
  } finally {
    await t.close();
  }
}

/** Plans (and unless dryRun, executes) teardown. */
export async function teardown(r: TargetOptions & { root?: string | undefined }, o: { dryRun: boolean; log?: (l: string) => void; out?: (s: string) => void }): Promise<SessionResult> {
  const root = r.root ? resolve(r.root) : '/';
  checkTargetPath('--root', root, { inPath: true });
  const t = openTransport(r);
  try {
    const facts = await probe(t, root);
    if (facts.os !== 'Linux') throw new UserError(`host runs ${facts.os}, not Linux: nothing edgebench provisions can be there`);
    if (!facts.isRoot && !facts.sudo && root === '/') throw new UserError('teardown needs root on the host: connect as root or give the user passwordless sudo (sudo -n)');
    const plan = planTeardown(root);
    if (o.dryRun) {
      o.out?.(renderPlan(plan));
      return { plan, outcomes: null };
    }
    const outcomes = await executePlan(t, plan, { cacheDir: defaultCacheDir(), catalogueFile: '-', ...(o.log ? { log: o.log } : {}) });
    return { plan, outcomes };
  } finally {
    await t.close();
  }
}
