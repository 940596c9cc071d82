// Every benchmark of `npm run bench`, in the order they run and appear in docs/benchmarks.md.
// Adding one: a file under ./benchmarks exporting a Benchmark, and one line here.
import type { Benchmark } from './harness';
import { inboxPaging } from './benchmarks/inbox-paging';
import { ingestStorm } from './benchmarks/ingest-storm';
import { liveLatency } from './benchmarks/live-latency';
import { memory } from './benchmarks/memory';
import { routing } from './benchmarks/routing';
import { soak } from './benchmarks/soak';
import { toneCheck } from './benchmarks/tone-check';
import { webInbox } from './benchmarks/web-inbox';

export const BENCHMARKS: readonly Benchmark[] = [
  ingestStorm, // ingest-storm
  liveLatency, // live-latency
  toneCheck, // tone-check
  inboxPaging, // inbox-paging
  routing, // routing
  memory, // memory
  webInbox, // web-inbox
  soak, // soak
];
