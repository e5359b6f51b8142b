// Paths of the Temporal binaries that scripts/ build or fetch once and cache outside the clone.
import { execFileSync } from 'node:child_process';
import path from 'node:path';

const root = path.join(__dirname, '..', '..');
const cache = new Map<string, string>();

function script(name: string): string {
  if (!cache.has(name))
    cache.set(name, execFileSync('bash', [path.join(root, 'scripts', name)], { encoding: 'utf8' }).trim());
  return cache.get(name)!;
}

export const testServerPath = () => script('test-server.sh');
export const temporalCliPath = () => script('temporal-cli.sh');
export const chromiumPath = () => script('chromium.sh');
