/**
 * nats-server processes owned by one test: a single JetStream server, or a 3-node cluster, on
 * free loopback ports with their own store directories, so they can be killed and restarted
 * without touching the machine's shared server.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, NatsConnection } from 'nats';
import { Child, freePorts, ProcessGroup, waitUntil } from './processes';

export const NATS_SERVER_BIN = process.env.NATS_SERVER_BIN || '/usr/sbin/nats-server';
export const natsServerAvailable = existsSync(NATS_SERVER_BIN);

export class NatsNode {
  child?: Child;

  constructor(
    private readonly group: ProcessGroup,
    readonly name: string,
    readonly port: number,
    readonly storeDir: string,
    private readonly cluster?: { name: string; port: number; routes: number[] },
  ) {}

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return !!this.child?.running;
  }

  /** Starts (again: same port, same store) and waits until it accepts clients. */
  async start(): Promise<void> {
    const args = ['-n', this.name, '-a', '127.0.0.1', '-p', String(this.port), '-js', '-sd', this.storeDir];
    if (this.cluster) {
      args.push(
        '--cluster_name', this.cluster.name,
        '--cluster', `nats://127.0.0.1:${this.cluster.port}`,
        '--routes', this.cluster.routes.map((p) => `nats://127.0.0.1:${p}`).join(','),
      );
    }
    this.child = this.group.add(new Child(`nats ${this.name}`, NATS_SERVER_BIN, args));
    await this.child.waitForOutput(/Server is ready/, 20_000);
  }

  /** SIGKILL: a crash, not a shutdown. */
  async kill(): Promise<void> {
    await this.child?.kill('SIGKILL');
  }

  async remove(): Promise<void> {
    await this.child?.stop(3000);
    rmSync(this.storeDir, { recursive: true, force: true });
  }
}

export async function startNatsServer(group: ProcessGroup): Promise<NatsNode> {
  const [port] = await freePorts(1);
  const node = new NatsNode(group, 'solo', port, mkdtempSync(join(tmpdir(), 'sne-res-nats-')));
  await node.start();
  await waitForJetStream(node.url);
  return node;
}

/** Three nodes routed to each other; resolves once the cluster's JetStream answers. */
export async function startNatsCluster(group: ProcessGroup, size = 3): Promise<NatsNode[]> {
  const nodes = await natsClusterNodes(group, size);
  await Promise.all(nodes.map((n) => n.start()));
  await waitForJetStream(nodes.map((n) => n.url).join(','));
  return nodes;
}

/** The nodes of a cluster, routed to each other but not started: a test starts them when it wants. */
export async function natsClusterNodes(group: ProcessGroup, size = 3): Promise<NatsNode[]> {
  const ports = await freePorts(size * 2);
  const clientPorts = ports.slice(0, size);
  const clusterPorts = ports.slice(size);
  return clientPorts.map(
    (port, i) =>
      new NatsNode(group, `n${i + 1}`, port, mkdtempSync(join(tmpdir(), `sne-res-nats-n${i + 1}-`)), {
        name: 'sne-resilience',
        port: clusterPorts[i],
        routes: clusterPorts.filter((_, j) => j !== i),
      }),
  );
}

/** JetStream is usable once the account info answers (in a cluster: once a meta leader is elected). */
export async function waitForJetStream(servers: string, timeoutMs = 30_000): Promise<void> {
  await waitUntil(
    async () => {
      const nc = await connect({ servers: servers.split(','), maxReconnectAttempts: 0, timeout: 2000 });
      try {
        const jsm = await nc.jetstreamManager({ timeout: 2000 });
        await jsm.getAccountInfo();
        return true;
      } finally {
        await nc.close();
      }
    },
    timeoutMs,
    `JetStream on ${servers}`,
    250,
  );
}

/** A short-lived connection for the test's own look at the stream (leader, counts). */
export async function withNats<T>(servers: string, fn: (nc: NatsConnection) => Promise<T>): Promise<T> {
  const nc = await connect({ servers: servers.split(','), maxReconnectAttempts: 0, timeout: 3000 });
  try {
    return await fn(nc);
  } finally {
    await nc.close().catch(() => undefined);
  }
}
