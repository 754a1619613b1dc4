/**
 * Routes every component serves (API instances, relay, consumers): `/healthz`, `/metrics`
 * (Prometheus), and — only when the process was started with failpoints on, and only from loopback —
 * `GET|PUT|DELETE /admin/failpoints[/:name]`.
 */
import type { FastifyInstance } from 'fastify';
import { DomainError } from '../../domain/errors.ts';
import { Failpoints, FAILPOINT_NAMES, type FailpointSpec } from '../../app/failpoints.ts';
import type { Metrics } from '../../app/metrics.ts';

export interface OpsOptions {
  metrics: Metrics;
  failpoints: Failpoints;
  failpointsEnabled: boolean;
  /** Resolves with extra status fields when healthy; throws when not. */
  health: () => Promise<Record<string, unknown>>;
}

function loopbackOnly(ip: string): void {
  if (!['127.0.0.1', '::1', '::ffff:127.0.0.1'].includes(ip)) throw new DomainError('NOT_FOUND', 'no such route');
}

export function registerOpsRoutes(app: FastifyInstance, options: OpsOptions): void {
  app.get('/healthz', async (_request, reply) => {
    try {
      return { status: 'ok', ...(await options.health()) };
    } catch (error) {
      return reply.code(503).send({ status: 'unavailable', detail: (error as Error).message });
    }
  });
  app.get('/metrics', async (_request, reply) => {
    return reply.type(options.metrics.registry.contentType).send(await options.metrics.registry.metrics());
  });
  if (!options.failpointsEnabled) return;

  app.get('/admin/failpoints', async (request) => {
    loopbackOnly(request.ip);
    return { armed: options.failpoints.list(), known: FAILPOINT_NAMES };
  });
  app.put('/admin/failpoints/:name', async (request) => {
    loopbackOnly(request.ip);
    const { name } = request.params as { name: string };
    if (!Failpoints.isName(name))
      throw new DomainError('NOT_FOUND', `no failpoint ${name}`, `known: ${FAILPOINT_NAMES.join(', ')}`);
    const body = (request.body ?? {}) as Partial<FailpointSpec>;
    if (body.action !== 'crash' && body.action !== 'drop')
      throw new DomainError('VALIDATION_FAILED', "action must be 'crash' or 'drop'");
    if (body.times !== undefined && (!Number.isInteger(body.times) || body.times < 1))
      throw new DomainError('VALIDATION_FAILED', 'times must be an integer ≥ 1');
    options.failpoints.arm(name, {
      action: body.action,
      ...(body.times ? { times: body.times } : {}),
      ...(typeof body.consumer === 'string' ? { consumer: body.consumer } : {}),
    });
    return { armed: options.failpoints.list() };
  });
  app.delete('/admin/failpoints/:name', async (request) => {
    loopbackOnly(request.ip);
    const { name } = request.params as { name: string };
    if (Failpoints.isName(name)) options.failpoints.disarm(name);
    return { armed: options.failpoints.list() };
  });
}
