import { existsSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';
import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ServeStaticModule } from '@nestjs/serve-static';
import type { Environment } from '@toonbank/platform';

/** Serves the built web app from the API's origin (WEB_DIST_DIR), with a fallback to index.html. */
@Module({
  imports: [
    ServeStaticModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<Environment, true>) => {
        const rootPath = config.get('WEB_DIST_DIR', { infer: true });
        if (!rootPath || !existsSync(join(rootPath, 'index.html'))) return [];
        return [
          {
            rootPath,
            exclude: ['/api/{*path}', '/socket.io/{*path}', '/metrics'],
            serveStaticOptions: {
              index: 'index.html',
              maxAge: '1h',
              // Assets have hashed names; index.html must always be fresh after a deploy.
              setHeaders: (response: ServerResponse, path: string) => {
                if (path.endsWith('.html')) response.setHeader('Cache-Control', 'no-cache');
              },
            },
          },
        ];
      },
    }),
  ],
})
export class WebAppModule {}
