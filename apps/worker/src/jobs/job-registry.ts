import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { JOB_QUEUE, JobName } from '@toonbank/shared';
import { JobProcessor } from './job-processor';

/** bullmq's @Processor() stores the queue name under this metadata key. */
const PROCESSOR_METADATA = 'bullmq:processor_metadata';

export interface RegisteredProcessor {
  queue: string;
  jobs: string[];
}

/** Problems with a set of processors: every job has exactly one handler, on its own queue. */
export function jobRegistryProblems(processors: RegisteredProcessor[]): string[] {
  const problems: string[] = [];
  for (const job of Object.values(JobName)) {
    const handlers = processors.filter((p) => p.jobs.includes(job));
    if (handlers.length === 0) problems.push(`job ${job} has no handler`);
    if (handlers.length > 1) problems.push(`job ${job} has ${handlers.length} handlers`);
    for (const handler of handlers) {
      if (handler.queue !== JOB_QUEUE[job]) {
        problems.push(
          `job ${job} is handled on queue ${handler.queue}, but it runs on ${JOB_QUEUE[job]}`,
        );
      }
    }
  }
  for (const processor of processors) {
    for (const job of processor.jobs) {
      if (!(Object.values(JobName) as string[]).includes(job))
        problems.push(`unknown job ${job} on ${processor.queue}`);
    }
  }
  return problems;
}

/** Refuses to start the worker when a job name has no handler or two. */
@Injectable()
export class JobRegistryCheck implements OnApplicationBootstrap {
  constructor(private readonly discovery: DiscoveryService) {}

  onApplicationBootstrap(): void {
    const processors = this.discovery
      .getProviders()
      .map((wrapper) => wrapper.instance as unknown)
      .filter((instance): instance is JobProcessor => instance instanceof JobProcessor)
      .map((instance) => {
        const metadata = Reflect.getMetadata(PROCESSOR_METADATA, instance.constructor) as
          { name?: string } | undefined;
        return { queue: metadata?.name ?? '?', jobs: Object.keys(instance.handlers) };
      });
    const problems = jobRegistryProblems(processors);
    if (problems.length > 0)
      throw new Error(`The worker's job handlers are wrong:\n  - ${problems.join('\n  - ')}`);
  }
}
