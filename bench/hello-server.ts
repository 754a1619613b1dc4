/**
 * The ceiling for `bench:ref`: a bare fastify "hello" endpoint in a process of its own, on the
 * port given as the first argument.
 */
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.get('/hello', async () => ({ hello: 'world' }));
await app.listen({ host: '127.0.0.1', port: Number(process.argv[2]) });
process.stdout.write('ready\n');
