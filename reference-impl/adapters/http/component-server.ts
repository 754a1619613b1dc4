/**
 * The small HTTP server of the relay and consumer processes: `/healthz`, `/metrics` and the
 * failpoint admin routes, on 127.0.0.1.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { registerOpsRoutes, type OpsOptions } from './ops-routes.ts';
import { toProblem } from './problem.ts';

export async function startComponentServer(port: number, options: OpsOptions): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  app.setErrorHandler((error, _request, reply) => {
    const body = toProblem(error);
    void reply.code(body.status).type('application/problem+json').send(body);
  });
  registerOpsRoutes(app, options);
  await app.listen({ host: '127.0.0.1', port });
  return app;
}
