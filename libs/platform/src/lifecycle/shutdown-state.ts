import { Injectable } from '@nestjs/common';

/**
 * Whether this process has been asked to stop. Readiness answers 503 from that moment on, so
 * that a load balancer sends no new work while the process finishes what it holds.
 */
@Injectable()
export class ShutdownState {
  private since: Date | null = null;

  get stopping(): boolean {
    return this.since !== null;
  }

  begin(): void {
    this.since ??= new Date();
  }
}
