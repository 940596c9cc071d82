/**
 * Queue and job names. They live in Redis across deployments: never rename one once
 * released. Job payloads carry ids, not whole objects.
 */
export const QueueName = {
  Maintenance: 'maintenance',
} as const;
export type QueueName = (typeof QueueName)[keyof typeof QueueName];

export const JobName = {
  PruneSessions: 'maintenance.prune-sessions',
} as const;
export type JobName = (typeof JobName)[keyof typeof JobName];

/** Which queue carries each job. */
export const JOB_QUEUE: Readonly<Record<JobName, QueueName>> = {
  [JobName.PruneSessions]: QueueName.Maintenance,
};

export interface JobPayloads {
  [JobName.PruneSessions]: Record<string, never>;
}
