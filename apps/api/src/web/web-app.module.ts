import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Module, type OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { HttpAdapterHost } from '@nestjs/core';
import type { Express } from 'express';
import type { Environment } from '@toonbank/platform';
import { webAppHandler } from './web-app-static';

/**
 * Serves the built web app (WEB_DIST_DIR) from the API's origin: precompressed files with
 * their caching, and index.html for the single-page app's routes (see webAppHandler). It is
 * mounted when the modules start, after the API's routes and before Nest's 404 (which keeps
 * every unknown /api path a JSON 404).
 */
@Module({})
export class WebAppModule implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly config: ConfigService<Environment, true>,
  ) {}

  onModuleInit(): void {
    const distDir = this.config.get('WEB_DIST_DIR', { infer: true });
    if (!distDir || !existsSync(join(distDir, 'index.html'))) return;
    this.adapterHost.httpAdapter.getInstance<Express>().use(webAppHandler(distDir));
  }
}
