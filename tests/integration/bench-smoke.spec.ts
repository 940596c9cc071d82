// The benchmarks of `npm run bench` at smoke scale (tiny sizes), so that the harness cannot
// rot: each runs in its scratch database and reports finite, positive figures and its
// correctness checks. No timing is asserted: that is what `npm run bench` and
// docs/benchmarks.md are for.
import {
  machineInfo,
  renderReport,
  runBenchmark,
  selectBenchmarks,
  type BenchEntry,
  type BenchReport,
} from '../bench/harness';
import { BENCHMARKS } from '../bench/registry';

describe('benchmarks (smoke scale)', () => {
  const entries: BenchEntry[] = [];

  it.each(BENCHMARKS.map((benchmark) => [benchmark.id, benchmark] as const))(
    '%s runs and reports sane figures',
    async (_id, benchmark) => {
      const entry = await runBenchmark(benchmark, 'smoke');
      entries.push(entry);
      expect(entry.error).toBeUndefined();
      const { measurements, checks = [] } = entry.result ?? { measurements: [] };
      expect(measurements.length).toBeGreaterThan(0);
      for (const m of measurements) {
        expect([m.what, Number.isFinite(m.toonbank) && m.toonbank > 0]).toEqual([m.what, true]);
        expect([m.what, Number.isFinite(m.baseline) && m.baseline > 0]).toEqual([m.what, true]);
      }
      for (const check of checks)
        expect([check.what, check.value]).toEqual([check.what, check.expected]);
    },
    180_000,
  );

  it('renders the report of what ran, with the machine and the command', async () => {
    const report: BenchReport = {
      scale: 'smoke',
      command: 'BENCH_SCALE=smoke npm run bench',
      startedAt: new Date(),
      seconds: 1,
      machine: await machineInfo(),
      entries,
    };
    const markdown = renderReport(report);
    expect(markdown).toContain('| nproc |');
    expect(markdown).toContain('| PostgreSQL |');
    expect(markdown).toContain('`BENCH_SCALE=smoke npm run bench`');
    for (const benchmark of BENCHMARKS) expect(markdown).toContain(`## ${benchmark.title}`);
  });

  it('selects benchmarks by id and refuses an unknown one', () => {
    expect(selectBenchmarks(BENCHMARKS, 'routing').map((b) => b.id)).toEqual(['routing']);
    expect(selectBenchmarks(BENCHMARKS, '')).toHaveLength(BENCHMARKS.length);
    expect(() => selectBenchmarks(BENCHMARKS, 'nope')).toThrow(/Unknown benchmark nope/);
  });
});
