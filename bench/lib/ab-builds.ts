/**
 * Same-process A/B of builds: each build's `dist` is imported as its own module graph (its own client,
 * AsyncLocalStorage and pipeline) and measured against one receiver, round by round in rotated order,
 * with the untraced loop before and after each round. On a shared machine this cancels most of the
 * load that separate processes see differently.
 *
 *   node --expose-gc dist/bench/lib/ab-builds.js [--rounds 9] [--depth 1|3] [--calls 50000] <dist> <dist> ...
 *
 * `<dist>` is a build's output folder (with `src/` and `bench/`, and `node_modules` reachable from it).
 * Prints, per build, the median overhead per traced call on the calling thread (wall) and of CPU
 * including the flush, and the per-round ratios to the first build (min / median / max).
 */
import { forceGc } from './gc.js';
import { numberArg } from './cli-args.js';
import { fmt, median } from './stats.js';

const ROUNDS = numberArg('rounds', 9);
const DEPTH = numberArg('depth', 1);
const CALLS = numberArg('calls', 50_000);
const dists = process.argv
  .slice(2)
  .filter((a, i, all) => !a.startsWith('--') && !all[i - 1]?.startsWith('--'));

type Fn = (x: number) => Promise<number>;
type Wrap = (fn: Fn, name: string) => Fn;

interface Build {
  name: string;
  fn: Fn;
  flush: () => Promise<unknown>;
  disable: () => void;
  close: () => Promise<void>;
}

function build(wrap: Wrap): Fn {
  const inner = wrap(async (x: number) => x + 1, 'inner');
  if (DEPTH === 1) return inner;
  const middle = wrap(async (x: number) => (await inner(x)) + 1, 'middle');
  return wrap(async (x: number) => (await middle(x)) + 1, 'outer');
}

async function load(dist: string, receiverUrl: string): Promise<Build> {
  const { op } = (await import(`${dist}/src/index.js`)) as { op: (fn: Fn, o: { name: string }) => Fn };
  const { traceContext } = (await import(`${dist}/src/sdk/call-context.js`)) as {
    traceContext: { disable(): void };
  };
  const { initBenchClient } = (await import(`${dist}/bench/lib/weft-client.js`)) as {
    initBenchClient: (
      p: string,
      url: string,
    ) => Promise<{ client: { flush(): Promise<unknown> }; close(): Promise<void> }>;
  };
  const { client, close } = await initBenchClient('bench/ab-builds', receiverUrl);
  return {
    name: dist,
    fn: build((fn, name) => op(fn, { name })),
    flush: () => client.flush(),
    disable: () => traceContext.disable(),
    close,
  };
}

/** One loop of CALLS outer calls: µs per traced call, wall (the loop) and CPU (loop and flush). */
async function measure(fn: Fn, b?: Build): Promise<{ us: number; cpu: number }> {
  forceGc();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < CALLS; i++) await fn(i);
  const ms = performance.now() - t0;
  if (b) {
    await b.flush();
    b.disable();
  }
  const cpu = process.cpuUsage(cpu0);
  return { us: (ms * 1000) / (CALLS * DEPTH), cpu: (cpu.user + cpu.system) / (CALLS * DEPTH) };
}

async function main(): Promise<void> {
  if (dists.length === 0) throw new Error('usage: ab-builds.js [--rounds n] [--depth 1|3] <dist> ...');
  const { Receiver } = (await import(`${dists[0]}/bench/lib/receiver.js`)) as {
    Receiver: { start(): Promise<{ url: string; close(): Promise<void> }> };
  };
  const receiver = await Receiver.start();
  const builds: Build[] = [];
  for (const d of dists) builds.push(await load(d, receiver.url));
  const plain = build((fn) => fn);
  for (const b of builds) for (let k = 0; k < 2; k++) await measure(b.fn, b); // warm-up
  const over: number[][] = builds.map(() => []);
  const cpu: number[][] = builds.map(() => []);
  for (let r = 0; r < ROUNDS; r++) {
    const before = await measure(plain);
    const res: { us: number; cpu: number }[] = [];
    for (let j = 0; j < builds.length; j++) {
      const k = (j + r) % builds.length;
      res[k] = await measure(builds[k]!.fn, builds[k]);
    }
    const after = await measure(plain);
    res.forEach((x, k) => {
      over[k]!.push(x.us - (before.us + after.us) / 2);
      cpu[k]!.push(x.cpu - (before.cpu + after.cpu) / 2);
    });
  }
  const mmm = (xs: number[]) =>
    `${fmt(Math.min(...xs), 3)} / ${fmt(median(xs), 3)} / ${fmt(Math.max(...xs), 3)}`;
  builds.forEach((b, k) => {
    const ro = over[k]!.map((x, r) => x / over[0]![r]!);
    const rc = cpu[k]!.map((x, r) => x / cpu[0]![r]!);
    console.log(
      `${b.name} depth ${DEPTH}: overhead ${fmt(median(over[k]!), 3)} µs (ratio ${mmm(ro)}), ` +
        `CPU incl. flush ${fmt(median(cpu[k]!), 3)} µs (ratio ${mmm(rc)})`,
    );
  });
  for (const b of builds) await b.close();
  await receiver.close();
}

await main();
