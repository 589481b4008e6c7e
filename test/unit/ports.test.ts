import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { freePort, TEST_PORTS, testPortBlock } from '../../scripts/servers.js';

/**
 * Test servers get their ports from a block per vitest worker, below the OS's ephemeral
 * range: two test files starting servers at once never get the same port.
 */
describe('freePort under vitest', () => {
  const first = testPortBlock()!;
  const block = { first, last: first + TEST_PORTS.blockSize - 1 };

  it("hands out different ports from this worker's own block, below 32768", async () => {
    const ports = [await freePort(), await freePort(), await freePort()];
    expect(new Set(ports).size).toBe(3);
    for (const port of ports) {
      expect(port).toBeGreaterThanOrEqual(block.first);
      expect(port).toBeLessThanOrEqual(block.last);
      expect(port).toBeLessThan(32_768);
    }
  });

  it('passes over a port someone listens on', async () => {
    const next = await freePort();
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(next + 1, '127.0.0.1', resolve));
    try {
      expect(await freePort()).not.toBe(next + 1);
    } finally {
      taken.close();
    }
  });
});
