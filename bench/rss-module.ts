/**
 * The child of bench/rss.ts's module table: a fresh node that imports one
 * module or a comma-separated list of them (none: bare node), collects, waits and prints its resident sizes
 * and V8 heap as JSON. Imports nothing else, so that bare node is the base.
 */
import { readFileSync } from 'node:fs';

const spec = process.argv[2];
for (const m of spec ? spec.split(',') : []) await import(m);
(globalThis as unknown as { gc(): void }).gc();
await new Promise((r) => setTimeout(r, 1000));
const s = readFileSync('/proc/self/status', 'utf8');
const kb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+) kB`).exec(s)?.[1] ?? NaN) * 1024;
process.stdout.write(JSON.stringify({ rss: kb('VmRSS'), anon: kb('RssAnon'), file: kb('RssFile') + kb('RssShmem'), heap: process.memoryUsage().heapUsed }));
