/**
 * Linearity checks for parsers and patterns that see user text (issue 11: "the median time
 * for 100,000 characters of each adversarial shape is at most 20 × the median for 10,000").
 * Linear code grows about 10×, quadratic code about 100×, cubic about 1,000×.
 */

/** Ten times as long: the step the issue measures. */
export const SMALL_INPUT = 10_000;
export const LARGE_INPUT = 100_000;
/** The most the time may grow from SMALL_INPUT to LARGE_INPUT characters. */
export const MAX_GROWTH = 20;

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

/** Node's clock of CPU time (typed here: the web app's tests compile without Node's types). */
const nodeProcess = (globalThis as unknown as { process: { cpuUsage(): CpuUsage } }).process;
interface CpuUsage {
  user: number;
  system: number;
}

/** Milliseconds of CPU this process has used. */
function cpuMs(): number {
  const { user, system } = nodeProcess.cpuUsage();
  return (user + system) / 1000;
}

/**
 * CPU milliseconds per call of `run`, timed over `calls` calls in a row. CPU time, not the
 * wall clock: on a loaded machine the wall clock counts the time other processes had the core,
 * which falls on the long call more often than on the short ones and can double a ratio.
 */
function perCall(run: () => unknown, calls: number): number {
  const start = cpuMs();
  for (let i = 0; i < calls; i++) run();
  return (cpuMs() - start) / calls;
}

/**
 * How many times longer `run` takes on `shape(LARGE_INPUT)` than on `shape(SMALL_INPUT)`:
 * the median of `rounds` timings each. A timing of the small input averages ten calls (the
 * same number of characters as one large call), so that the timer's resolution does not
 * decide the ratio. Both inputs are run first, so that the JIT has compiled what it will.
 */
function measureGrowth(
  run: (input: string) => unknown,
  small: string,
  large: string,
  rounds: number,
): number {
  const calls = LARGE_INPUT / SMALL_INPUT;
  perCall(() => run(small), calls);
  perCall(() => run(large), 1);
  const smallTimes: number[] = [];
  const largeTimes: number[] = [];
  for (let i = 0; i < rounds; i++) {
    smallTimes.push(perCall(() => run(small), calls));
    largeTimes.push(perCall(() => run(large), 1));
  }
  // A floor of 10 µs for the small input: 100,000 characters in 0.2 ms pass whatever the ratio.
  return median(largeTimes) / Math.max(median(smallTimes), 0.01);
}

/**
 * The growth of `run` from SMALL_INPUT to LARGE_INPUT characters of `shape`. The machine is
 * shared, so a measurement over MAX_GROWTH is taken again (up to three times) and the lowest
 * counts: a super-linear `run` is over the limit every time, a busy moment rarely twice.
 */
export function growth(
  run: (input: string) => unknown,
  shape: (length: number) => string,
  rounds = 5,
): number {
  const small = shape(SMALL_INPUT);
  const large = shape(LARGE_INPUT);
  let lowest = Infinity;
  for (let attempt = 0; attempt < 3 && lowest > MAX_GROWTH; attempt++) {
    lowest = Math.min(lowest, measureGrowth(run, small, large, rounds));
  }
  return lowest;
}

/** `unit` repeated and cut to exactly `length` characters. */
export const repeatTo = (unit: string, length: number, prefix = '', suffix = ''): string => {
  const body = length - prefix.length - suffix.length;
  return prefix + unit.repeat(Math.ceil(body / unit.length)).slice(0, body) + suffix;
};
