// The entry of `npm run bench` (tests/bench/jest.config.js): runs the registered benchmarks
// (BENCH_ONLY=id,id to pick some; BENCH_SCALE=smoke for tiny sizes), prints the figures and
// writes docs/benchmarks.md (or BENCH_OUT). A run of some benchmarks only, or at smoke scale,
// writes no report unless BENCH_OUT names a file: docs/benchmarks.md always holds one full run.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  benchScale,
  log,
  renderReport,
  REPORT_FILE,
  runBenchmarks,
  selectBenchmarks,
  summaryLines,
} from './harness';
import { BENCHMARKS } from './registry';

it('runs the benchmarks and writes the report', async () => {
  const benchmarks = selectBenchmarks(BENCHMARKS, process.env.BENCH_ONLY);
  const scale = benchScale();
  const report = await runBenchmarks(benchmarks, {
    scale,
    command: process.env.BENCH_COMMAND ?? 'npm run bench',
  });
  for (const line of summaryLines(report)) log(line);
  const complete = scale === 'full' && benchmarks.length === BENCHMARKS.length;
  const out = process.env.BENCH_OUT
    ? resolve(process.env.BENCH_OUT)
    : complete
      ? REPORT_FILE
      : null;
  if (out) {
    writeFileSync(out, renderReport(report));
    log(`wrote ${out} (${report.seconds.toFixed(0)} s)`);
  } else {
    log('a partial or smoke run: no report written (set BENCH_OUT to write one)');
  }
  expect(report.entries.filter((entry) => entry.error).map((e) => e.benchmark.id)).toEqual([]);
});
