import { EventEmitter } from 'node:events';
import { CONNECTION_ERROR_REPORT_MS, ConnectionErrorLog } from './connection-error-log';

describe('ConnectionErrorLog', () => {
  const setUp = () => {
    const lines: string[] = [];
    let now = 1_000_000;
    const log = new ConnectionErrorLog({ warn: (line) => lines.push(line) }, () => now);
    return { lines, log, advance: (ms: number) => (now += ms) };
  };
  const refused = new Error('connect ECONNREFUSED 127.0.0.1:6379');

  it('reports the first error of a source at once, then once per interval with the count held back', () => {
    const { lines, log, advance } = setUp();
    log.report('queue sla', refused);
    for (let i = 0; i < 50; i++) {
      advance(100);
      log.report('queue sla', refused);
    }
    expect(lines).toEqual(['queue sla: connect ECONNREFUSED 127.0.0.1:6379']);
    advance(CONNECTION_ERROR_REPORT_MS);
    log.report('queue sla', refused);
    expect(lines).toEqual([
      'queue sla: connect ECONNREFUSED 127.0.0.1:6379',
      'queue sla: connect ECONNREFUSED 127.0.0.1:6379 (50 more since the last report)',
    ]);
  });

  it('counts each source on its own', () => {
    const { lines, log } = setUp();
    log.report('queue sla', refused);
    log.report('queue polling', refused);
    log.report('queue sla', refused);
    expect(lines).toHaveLength(2);
  });

  it('watches an emitter: an error event is reported, not thrown', () => {
    const { lines, log } = setUp();
    const emitter = new EventEmitter();
    log.watch('polling events', emitter);
    expect(() => emitter.emit('error', refused)).not.toThrow();
    expect(lines).toEqual(['polling events: connect ECONNREFUSED 127.0.0.1:6379']);
  });
});
