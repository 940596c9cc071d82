import { existsSync } from 'node:fs';
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
            serveStaticOptions: { index: 'index.html', maxAge: '1h' },
          },
        ];
      },
    }),
  ],
})
export class WebAppModule {}
