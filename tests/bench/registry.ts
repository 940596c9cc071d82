// Every benchmark of `npm run bench`, in the order they run and appear in docs/benchmarks.md.
// Adding one: a file under ./benchmarks exporting a Benchmark, and one line here.
import type { Benchmark } from './harness';
import { inboxPaging } from './benchmarks/inbox-paging';
import { routing } from './benchmarks/routing';
import { toneCheck } from './benchmarks/tone-check';

export const BENCHMARKS: readonly Benchmark[] = [
  toneCheck, // tone-check
  inboxPaging, // inbox-paging
  routing, // routing
];
