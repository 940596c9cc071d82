import type { Metrics } from '@toonbank/platform';
import type { NextFunction, Request, Response } from 'express';

/** What a request that matched no route is counted as (a 404, the web app's files). */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * Times every request, labelled by the route template that handled it
 * (`/api/conversations/:id`): never the raw URL, whose ids would make a series per record.
 */
export function httpMetrics(metrics: Metrics) {
  return (request: Request, response: Response, next: NextFunction): void => {
    const end = metrics.httpDuration.startTimer();
    response.once('finish', () => {
      const route = (request.route as { path?: unknown } | undefined)?.path;
      end({
        method: request.method,
        route: typeof route === 'string' ? `${request.baseUrl}${route}` : UNMATCHED_ROUTE,
        status: String(response.statusCode),
      });
    });
    next();
  };
}
