// The system a benchmark drives (bench/load.ts, bench/year.ts): as `npm start` runs it (scripts/stack.ts) or as
// `npm run start:cluster` does (scripts/cluster.ts), in a folder of the benchmark's own, on free ports.
import { startBenchStack } from '../scripts/stack';
import { startBenchCluster } from '../scripts/cluster';

export interface BenchSystem {
  /** the API (the first one on the cluster) */
  base: string;
  /** the processes' environment: DATABASE_URL, TEMPORAL_ADDRESS, the keys */
  env: Record<string, string>;
  /** the workers' current process ids */
  workerPids: () => (number | undefined)[];
  stop: () => Promise<void>;
}

export async function startSystem(
  target: 'stack' | 'cluster',
  dataDir: string,
  extraEnv: Record<string, string>,
): Promise<BenchSystem> {
  if (target === 'cluster') {
    const cluster = await startBenchCluster(dataDir, extraEnv);
    return {
      base: cluster.apiUrls[0]!,
      env: cluster.env,
      workerPids: () => [cluster.pid('worker-1'), cluster.pid('worker-2')],
      stop: () => cluster.stop(),
    };
  }
  const stack = await startBenchStack(dataDir, extraEnv);
  return {
    base: new URL(stack.urls.web).origin,
    env: stack.env,
    workerPids: () => [stack.pid('worker')],
    stop: () => stack.stop(),
  };
}
