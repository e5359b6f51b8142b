// Empties dist/ before the server is compiled: tsc never deletes what it emitted for a source that is gone, and a
// stale file can shadow a new one (dist/workflows/trainingClass.js from the one-file layout was loaded instead of
// dist/workflows/trainingClass/index.js, so `npm start` ran the old workflow). Plain JS: it runs before any build.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

fs.rmSync(path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist'), {
  recursive: true,
  force: true,
});
