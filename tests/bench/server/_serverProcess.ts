/**
 * The server of a benchmark in its own Node process (forked with tsx), as in production where the
 * tablets are other machines: the simulated tablets' JSON work then does not stall the server's
 * event loop. The parent gets the URL and can ask for the server process's CPU time.
 */
import { startApp, type Backend } from '../../integration/helpers/backends';
import type { AddressInfo } from 'node:net';

const backend = process.argv[2] as Backend;
const env = await startApp(backend, { rateLimit: false, poolSize: Number(process.env.BENCH_POOL_SIZE ?? 20) });
const timing = new Map<string, number[]>();
env.app.addHook('onResponse', async (req, reply) => {
  const k = req.routeOptions.url ?? '?';
  const list = timing.get(k);
  if (list) list.push(reply.elapsedTime);
  else timing.set(k, [reply.elapsedTime]);
});
await env.app.wa.database.warm(); // as src/server/main.ts does
await env.app.listen({ port: 0, host: '127.0.0.1' });
const port = (env.app.server.address() as AddressInfo).port;
const send = (m: unknown) => process.send?.(m);
process.on('message', (m: unknown) => {
  if (m === 'cpu') send({ cpu: process.cpuUsage() });
  if (m === 'timing') {
    send({ timing: Object.fromEntries(timing) });
    timing.clear();
  }
  if (m === 'close') void env.close().then(() => process.exit(0));
});
send({ url: `http://127.0.0.1:${port}` });
