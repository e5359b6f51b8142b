// The API process: settings, read model, Temporal client with the payload codec, the app, the built web UI.
import fs from 'node:fs';
import path from 'node:path';
import express from 'express';
import pino from 'pino';
import { Client, Connection } from '@temporalio/client';
import { loadSettings } from '../platform/config';
import { EncryptionCodec } from '../platform/codec';
import { openDatabase } from '../platform/db';
import { createApp } from './app';
import { spaIndex } from './securityHeaders';

async function main() {
  const settings = loadSettings();
  const logger = pino({ level: settings.logLevel });
  const db = openDatabase(settings.databaseUrl);
  const connection = await Connection.connect({ address: settings.temporalAddress });
  const temporal = new Client({
    connection,
    namespace: settings.temporalNamespace,
    dataConverter: { payloadCodecs: [new EncryptionCodec(settings.payloadKey)] },
  });
  const app = createApp({ db, temporal, settings, logger });

  const index = path.join(settings.webDir, 'index.html');
  if (fs.existsSync(index)) {
    app.use(express.static(settings.webDir, { index: false, maxAge: '1h' }));
    // The single-page app answers every other GET outside /api, with a style nonce of its own per page.
    app.get(/^(?!\/api(\/|$)).*/, spaIndex(index));
  } else logger.warn({ webDir: settings.webDir }, 'no built web UI found; serving the API only');

  const server = app.listen(settings.port, (err?: Error) => {
    // Express 5 hands a failed listen (the port taken) to this callback: say so and fail, never "listening".
    if (err) {
      logger.error({ port: settings.port, err: { message: err.message } }, 'SkillFlow API cannot listen');
      process.exit(1);
    }
    logger.info(
      { url: `http://localhost:${settings.port}/`, docs: `http://localhost:${settings.port}/api/docs` },
      'SkillFlow API listening',
    );
  });

  // Keep idle connections longer than a client's keep-alive (undici's is 4 s, Node's server default 5 s): under
  // load the server closing a socket just as a client reuses it fails that request ("fetch failed" in
  // bench:load). 65 s outlasts the usual proxies' 60 s; headers must be allowed longer than that.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    server.close(async () => {
      (app.locals.close as () => void)();
      await Promise.allSettled([connection.close(), db.$disconnect()]);
      process.exit(0);
    });
    server.closeIdleConnections();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
