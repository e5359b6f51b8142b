// The ports the stacks of the tests and benchmarks listen on: never one the kernel may hand out to someone else
// (scripts/stack.ts freePort). A Temporal dev server once lost its UI port to one of its own internal services.
import fs from 'node:fs';
import net from 'node:net';
import { freePort } from '../../scripts/stack';

const [low] = fs
  .readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8')
  .trim()
  .split(/\s+/)
  .map(Number);

describe('freePort', () => {
  it('answers distinct ports below the ephemeral range that can be listened on', async () => {
    const ports: number[] = [];
    for (let i = 0; i < 20; i++) ports.push(await freePort());
    expect(new Set(ports).size).toBe(20);
    for (const port of ports) {
      expect(port).toBeGreaterThanOrEqual(10_000);
      expect(port).toBeLessThan(low!);
    }
    const server = net.createServer();
    await new Promise<void>((resolve, reject) => {
      server.on('error', reject);
      server.listen(ports[0], '127.0.0.1', resolve);
    });
    await new Promise((resolve) => server.close(resolve));
  });

  it('passes over a port someone else is listening on', async () => {
    const port = await freePort();
    const other = net.createServer();
    await new Promise<void>((resolve) => other.listen(port, '127.0.0.1', resolve));
    // A fresh copy of the module (it does not know it answered that port before), whose first pick is that port.
    let fresh: typeof freePort = freePort;
    jest.isolateModules(() => {
      fresh = (jest.requireActual('../../scripts/stack') as { freePort: typeof freePort }).freePort;
    });
    const random = jest.spyOn(Math, 'random').mockReturnValueOnce((port - 10_000 + 0.5) / (low! - 10_000));
    try {
      const next = await fresh();
      expect(random).toHaveBeenCalled();
      expect(next).not.toBe(port);
    } finally {
      random.mockRestore();
      await new Promise((resolve) => other.close(resolve));
    }
  });
});
