// `node scripts/demo-peers/dist/main.js`: the demo's local channel peers, until stopped
// (development only: `npm start` runs it beside the api and the worker; DEMO_PEERS=false: not).
// Built by `npm run build` (scripts/demo-peers/tsconfig.json), after the api.
import 'reflect-metadata';
import { loadEnvironment } from '@toonbank/platform';
import { runDemoPeers } from './demo-peers';

const say = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  const env = loadEnvironment(process.env);
  const stop = await runDemoPeers({
    apiUrl: `http://${env.HOST === '0.0.0.0' ? '127.0.0.1' : env.HOST}:${env.PORT}`,
    metaAppSecret: env.META_APP_SECRET,
    everyMs: Number(process.env.DEMO_MESSAGE_EVERY_MS ?? 20_000),
    log: say,
  });
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  await stop();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
