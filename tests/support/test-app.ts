import type { AddressInfo } from 'node:net';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AccessTokens } from '@toonbank/auth';
import type { LoginResponse } from '@toonbank/shared';
import request from 'supertest';
import { ApiModule } from '../../apps/api/src/api.module';
import { API_APP_OPTIONS, configureApi } from '../../apps/api/src/configure-api';
import { testDatabase } from './database';
import { newSession, TEST_PASSWORD } from './factories';

export interface TestApp {
  app: NestExpressApplication;
  /** http://127.0.0.1:<port> */
  url: string;
  http: () => ReturnType<typeof request>;
  close: () => Promise<void>;
}

/**
 * The real API (the module and set-up that main.ts uses) on a free port, against the
 * test database and Redis. `env` overrides configuration for this app only.
 */
export async function startTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  await testDatabase(); // migrated before the app connects
  const saved = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]));
  Object.assign(process.env, env);
  let app: NestExpressApplication;
  try {
    app = configureApi(
      await NestFactory.create<NestExpressApplication>(ApiModule.forRoot(), {
        ...API_APP_OPTIONS,
        logger: false,
        bufferLogs: true,
        abortOnError: false,
      }),
    );
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return { app, url, http: () => request(url), close: () => app.close() };
}

/** Signs in and returns the tokens and the user. */
export async function login(
  app: TestApp,
  email: string,
  password = TEST_PASSWORD,
): Promise<LoginResponse> {
  const response = await app.http().post('/api/auth/login').send({ email, password });
  if (response.status !== 200) {
    throw new Error(
      `login of ${email} answered ${response.status}: ${JSON.stringify(response.body)}`,
    );
  }
  return response.body as LoginResponse;
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/**
 * A signed-in session without the password round trip (argon2 is slow on purpose): a
 * session row and an access token signed by the app, exactly as a login would leave them.
 */
export async function signIn(
  testApp: TestApp,
  user: { id: string; organisationId: string },
): Promise<string> {
  const sid = await newSession(await testDatabase(), user);
  return testApp.app.get(AccessTokens).sign({ sub: user.id, org: user.organisationId, sid });
}
