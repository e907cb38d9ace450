/**
 * A small coverage-guided fuzzer, in the manner of libFuzzer, with V8's own
 * block coverage as the feedback (node:inspector, Profiler precise
 * coverage). Jazzer.js would be the usual tool; its Linux build needs glibc
 * 2.38 and its package ships no sources to build it here (docs/security.md).
 *
 * Inputs are byte strings. Each run executes the target on one input, then
 * reads which blocks of the watched scripts ran and how often (in libFuzzer's
 * count buckets); an input that reaches a (block, bucket) never seen before
 * joins the corpus, and new inputs are mutations of corpus entries (bit and
 * byte changes, dictionary words, inserts, deletions, crossovers). Seeded,
 * so a run repeats; whatever the target throws fails the run with the
 * input in hex.
 *
 * V8 reports a block only when its count differs from its parent's, so the
 * blocks ever reported for a function are remembered and each one's count is
 * read from the innermost range reported around it.
 */
import { Session } from 'node:inspector/promises';

export interface FuzzOptions {
  /** Stop after this long (ms). */
  ms: number;
  seed: number;
  /** Scripts whose coverage guides the search (matched against their file URL). */
  watch: RegExp;
  /** Starting inputs; the empty input is always one. */
  seeds?: Uint8Array[];
  /** Words worth inserting (JSON keys, numbers at the limits...). */
  dictionary?: Uint8Array[];
  maxLen?: number;
  /** Stop after this many runs (slow targets). */
  maxRuns?: number;
}

export interface FuzzReport {
  runs: number;
  corpus: number;
  /** Corpus entries made by mutation (not given as seeds): the guidance found something new. */
  grown: number;
  features: number;
}

interface Range { startOffset: number; endOffset: number; count: number }
interface FunctionCoverage { functionName: string; ranges: Range[] }
interface ScriptCoverage { url: string; functions: FunctionCoverage[] }

/** xorshift32: small, fast, and the same sequence for the same seed. */
export function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 0x1_0000_0000;
  };
}

const bucket = (n: number): number => (n <= 3 ? n : n <= 7 ? 4 : n <= 15 ? 8 : n <= 31 ? 16 : n <= 127 ? 32 : 128);

/** Coverage features of one run, remembering each function's blocks across runs. */
class Features {
  private readonly blocks = new Map<string, Map<string, [number, number]>>();
  readonly seen = new Set<string>();

  /** The run's features that were never seen before (and now are). */
  fresh(scripts: ScriptCoverage[], watch: RegExp): number {
    let fresh = 0;
    for (const sc of scripts) {
      if (!watch.test(sc.url)) continue;
      for (const f of sc.functions) {
        const top = f.ranges[0];
        if (!top || top.count === 0) continue;
        const fkey = `${sc.url}#${top.startOffset}`;
        let known = this.blocks.get(fkey);
        if (!known) this.blocks.set(fkey, (known = new Map()));
        for (const r of f.ranges) known.set(`${r.startOffset}:${r.endOffset}`, [r.startOffset, r.endOffset]);
        for (const [key, [start, end]] of known) {
          // The innermost reported range around this block gives its count (ranges come outermost first).
          let count = top.count;
          for (const r of f.ranges) if (r.startOffset <= start && r.endOffset >= end) count = r.count;
          if (count === 0) continue;
          const feature = `${fkey}:${key}:${bucket(count)}`;
          if (!this.seen.has(feature)) {
            this.seen.add(feature);
            fresh++;
          }
        }
      }
    }
    return fresh;
  }
}

function mutate(input: Uint8Array, r: () => number, corpus: Uint8Array[], dictionary: Uint8Array[], maxLen: number): Uint8Array {
  let out = Array.from(input);
  const steps = 1 + Math.floor(r() * 4);
  const pick = (n: number) => Math.floor(r() * n);
  for (let s = 0; s < steps; s++) {
    switch (pick(8)) {
      case 0: if (out.length) { const i = pick(out.length); out[i] = out[i]! ^ (1 << pick(8)); } break;
      case 1: if (out.length) out[pick(out.length)] = pick(256); break;
      case 2: out.splice(pick(out.length + 1), 0, ...Array.from({ length: 1 + pick(8) }, () => pick(256))); break;
      case 3: if (out.length) out.splice(pick(out.length), 1 + pick(8)); break;
      case 4: if (dictionary.length) out.splice(pick(out.length + 1), 0, ...dictionary[pick(dictionary.length)]!); break;
      case 5: {
        const other = corpus[pick(corpus.length)]!;
        const cut = pick(out.length + 1);
        out = [...out.slice(0, cut), ...Array.from(other.subarray(pick(other.length + 1)))];
        break;
      }
      case 6: if (out.length) { const a = pick(out.length); out.splice(pick(out.length + 1), 0, ...out.slice(a, a + 1 + pick(16))); } break;
      default: if (out.length) out[pick(out.length)] = [0, 1, 0x7f, 0x80, 0xff, 0x30, 0x7b, 0x22][pick(8)]!; break;
    }
  }
  return Uint8Array.from(out.slice(0, maxLen));
}

/** Fuzz `target` until the time or run budget is spent; rejects with the input that made it throw. */
export async function coverageFuzz(target: (data: Uint8Array) => unknown, o: FuzzOptions): Promise<FuzzReport> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.startPreciseCoverage', { callCount: true, detailed: true });
  const r = rng(o.seed);
  const features = new Features();
  const corpus: Uint8Array[] = [];
  const dictionary = o.dictionary ?? [];
  const maxLen = o.maxLen ?? 256;
  const deadline = Date.now() + o.ms;
  let runs = 0;
  let grown = 0;
  const queue = [new Uint8Array(0), ...(o.seeds ?? [])];
  try {
    await session.post('Profiler.takePreciseCoverage'); // start counting from here
    while (Date.now() < deadline && runs < (o.maxRuns ?? Infinity)) {
      const seeded = queue.length > 0;
      const input = queue.shift() ?? mutate(corpus[Math.floor(r() * corpus.length)] ?? new Uint8Array(0), r, corpus, dictionary, maxLen);
      runs++;
      try {
        await target(input);
      } catch (e) {
        throw new Error(`input ${Buffer.from(input).toString('hex')} failed: ${(e as Error)?.stack ?? String(e)}`);
      }
      const { result } = await session.post('Profiler.takePreciseCoverage');
      if (features.fresh(result as ScriptCoverage[], o.watch) > 0) {
        corpus.push(input);
        if (!seeded) grown++;
      }
    }
  } finally {
    await session.post('Profiler.stopPreciseCoverage').catch(() => undefined);
    session.disconnect();
  }
  return { runs, corpus: corpus.length, grown, features: features.seen.size };
}
