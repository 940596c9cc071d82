import { JOB_QUEUE, JobName, QueueName } from '@toonbank/shared';
import { jobRegistryProblems, type RegisteredProcessor } from './job-registry';
import { MaintenanceProcessor } from './maintenance.processor';

const JOBS = Object.values(JobName);
const PRUNE = JobName.PruneSessions;

/** One processor per queue, each handling exactly the jobs that run on it. */
function completeRegistry(): RegisteredProcessor[] {
  const queues = [...new Set(JOBS.map((job) => JOB_QUEUE[job]))];
  return queues.map((queue) => ({ queue, jobs: JOBS.filter((job) => JOB_QUEUE[job] === queue) }));
}

/** The complete registry with the processor of `job`'s queue changed. */
function withProcessorOf(job: JobName, change: (p: RegisteredProcessor) => RegisteredProcessor) {
  return completeRegistry().map((p) => (p.queue === JOB_QUEUE[job] ? change(p) : p));
}

describe('jobRegistryProblems', () => {
  it('every job name runs on a known queue', () => {
    const queues = Object.values(QueueName) as string[];
    for (const job of JOBS) expect(queues).toContain(JOB_QUEUE[job]);
    expect(Object.keys(JOB_QUEUE).sort()).toEqual([...JOBS].sort());
  });

  it.each<[string, RegisteredProcessor[]]>([
    ['the complete registry', completeRegistry()],
    ['the complete registry in reverse order', completeRegistry().reverse()],
    [
      'the complete registry split into one processor per job',
      JOBS.map((job) => ({ queue: JOB_QUEUE[job], jobs: [job] })),
    ],
    [
      'the complete registry with an idle processor',
      [...completeRegistry(), { queue: QueueName.Maintenance, jobs: [] }],
    ],
  ])('accepts %s', (_label, processors) => {
    expect(jobRegistryProblems(processors)).toEqual([]);
  });

  it.each(JOBS)('reports %s without a handler', (job) => {
    const processors = withProcessorOf(job, (p) => ({
      ...p,
      jobs: p.jobs.filter((j) => j !== job),
    }));
    expect(jobRegistryProblems(processors)).toEqual([`job ${job} has no handler`]);
  });

  it("accepts the worker's own MaintenanceProcessor as it declares itself", () => {
    // The queue as bullmq's @Processor() records it, the jobs as the handlers name them.
    const metadata = Reflect.getMetadata('bullmq:processor_metadata', MaintenanceProcessor) as {
      name?: string;
    };
    const processor = new MaintenanceProcessor(null as never, null as never, null as never);
    const registered = { queue: metadata.name ?? '?', jobs: Object.keys(processor.handlers) };
    const maintenanceJobs = JOBS.filter((job) => JOB_QUEUE[job] === QueueName.Maintenance);
    expect(registered).toEqual({ queue: QueueName.Maintenance, jobs: maintenanceJobs });
    const others = completeRegistry().filter((p) => p.queue !== QueueName.Maintenance);
    expect(jobRegistryProblems([registered, ...others])).toEqual([]);
  });

  it('reports every job when there are no processors', () => {
    expect(jobRegistryProblems([])).toEqual(JOBS.map((job) => `job ${job} has no handler`));
  });

  it.each(JOBS)('reports %s with two handlers on its own queue', (job) => {
    const processors = [...completeRegistry(), { queue: JOB_QUEUE[job], jobs: [job] }];
    expect(jobRegistryProblems(processors)).toEqual([`job ${job} has 2 handlers`]);
  });

  it('counts three handlers', () => {
    const extra = { queue: JOB_QUEUE[PRUNE], jobs: [PRUNE] };
    expect(jobRegistryProblems([...completeRegistry(), extra, extra])).toEqual([
      `job ${PRUNE} has 3 handlers`,
    ]);
  });

  it.each(JOBS)('reports %s handled on the wrong queue', (job) => {
    const processors = withProcessorOf(job, (p) => ({ ...p, queue: 'elsewhere' }));
    const problems = jobRegistryProblems(processors);
    expect(problems).toContain(
      `job ${job} is handled on queue elsewhere, but it runs on ${JOB_QUEUE[job]}`,
    );
    expect(problems.every((p) => p.includes('is handled on queue elsewhere'))).toBe(true);
  });

  it('reports both a second handler and its wrong queue', () => {
    const processors = [...completeRegistry(), { queue: 'elsewhere', jobs: [PRUNE] }];
    expect(jobRegistryProblems(processors)).toEqual([
      `job ${PRUNE} has 2 handlers`,
      `job ${PRUNE} is handled on queue elsewhere, but it runs on ${JOB_QUEUE[PRUNE]}`,
    ]);
  });

  it.each<[string, string]>([
    ['an unknown job', 'maintenance.defragment'],
    ['a job name with a typo', 'maintenance.prune-session'],
    ['a queue name instead of a job name', 'maintenance'],
    ['a differently cased job name', PRUNE.toUpperCase()],
  ])('reports %s', (_label, unknown) => {
    const processors = withProcessorOf(PRUNE, (p) => ({ ...p, jobs: [...p.jobs, unknown] }));
    expect(jobRegistryProblems(processors)).toEqual([
      `unknown job ${unknown} on ${JOB_QUEUE[PRUNE]}`,
    ]);
  });

  it('reports an unknown job on a processor of its own', () => {
    const processors = [...completeRegistry(), { queue: 'reports', jobs: ['reports.weekly'] }];
    expect(jobRegistryProblems(processors)).toEqual(['unknown job reports.weekly on reports']);
  });

  it('reports every problem at once', () => {
    const processors: RegisteredProcessor[] = [
      { queue: 'elsewhere', jobs: [PRUNE, 'x.one'] },
      { queue: 'elsewhere', jobs: [PRUNE] },
      { queue: 'other', jobs: ['x.two'] },
    ];
    expect(jobRegistryProblems(processors).sort()).toEqual(
      [
        `job ${PRUNE} has 2 handlers`,
        `job ${PRUNE} is handled on queue elsewhere, but it runs on ${JOB_QUEUE[PRUNE]}`,
        `job ${PRUNE} is handled on queue elsewhere, but it runs on ${JOB_QUEUE[PRUNE]}`,
        'unknown job x.one on elsewhere',
        'unknown job x.two on other',
        ...JOBS.filter((job) => job !== PRUNE).map((job) => `job ${job} has no handler`),
      ].sort(),
    );
  });
});
