/**
 * The HTTP API of one instance (fastify 5): the routes of contract section 3 under
 * `/v1/tenants/{tenantId}`, problem+json errors, a correlation id per request (logged with the
 * tenant), `/healthz`, `/metrics`, and the failpoint admin routes when enabled.
 */
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type pg from 'pg';
import {
  parseCatalogPublish,
  parseCreateQuote,
  parseCurrency,
  parseId,
  isUuid,
  parseIdempotencyKey,
  parseOlderThanSec,
  parsePolicyPublish,
  parsePriceListPublish,
  parseTenantId,
  parseUuid,
} from '../../domain/validation.ts';
import type { Quote } from '../../domain/types.ts';
import { getOffering, getPrice } from '../../app/browse.ts';
import type { AppContext } from '../../app/context.ts';
import { convert, orderView } from '../../app/conversion.ts';
import { publishCatalog, publishPolicy, publishPriceList } from '../../app/publishing.ts';
import { accept, approve, createNewQuote, getQuote, price, submit } from '../../app/quotes.ts';
import { reconcile } from '../../app/reconcile.ts';
import { postgresReconcileSource } from '../postgres/reconcile-source.ts';
import { drainOversizeBodies } from './oversize-body.ts';
import { DomainError } from '../../domain/errors.ts';
import { registerOpsRoutes } from './ops-routes.ts';
import { toProblem } from './problem.ts';

/** The quote as the API shows it (flat, contract field names). */
export function quoteView(quote: Quote): Record<string, unknown> {
  const { pricing, ...rest } = quote;
  return {
    ...rest,
    catalogVersion: pricing?.catalogVersion ?? null,
    priceListVersion: pricing?.priceListVersion ?? null,
    policyVersion: pricing?.policyVersion ?? null,
    totalCents: pricing?.totalCents ?? null,
    priceHash: pricing?.priceHash ?? null,
    approvalRequired: pricing?.approvalRequired ?? null,
    lines: pricing?.lines ?? null,
  };
}

type Params = { tenantId: string; quoteId?: string; offeringId?: string; orderId?: string };
type Req = FastifyRequest<{ Params: Params; Querystring: Record<string, string | undefined> }>;

export interface ApiOptions {
  ctx: AppContext;
  pool: pg.Pool;
  failpointsEnabled: boolean;
  /** Extra fields for /healthz (e.g. whether L1 invalidation has joined its consumer group). */
  healthDetails?: () => Record<string, unknown>;
}

const BODY_LIMIT = 1024 * 1024;

export function buildApi({ ctx, pool, failpointsEnabled, healthDetails }: ApiOptions): FastifyInstance {
  const app = Fastify({
    loggerInstance: ctx.log as FastifyBaseLogger,
    disableRequestLogging: true,
    forceCloseConnections: true,
    bodyLimit: BODY_LIMIT,
    genReqId: (req) =>
      typeof req.headers['x-correlation-id'] === 'string'
        ? req.headers['x-correlation-id'].slice(0, 100)
        : randomUUID(),
    // No child logger per request (a pino child each time was a visible share of a cached read):
    // every request log line names its correlation id and tenant itself.
    childLoggerFactory: (logger) => logger,
  });

  // Callback hooks, not async ones: no promise per hook per request on the hot path.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-correlation-id', request.id);
    (request as { startedAt?: bigint }).startedAt = process.hrtime.bigint();
    done();
  });
  drainOversizeBodies(app, BODY_LIMIT);
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const started = (request as { startedAt?: bigint }).startedAt ?? process.hrtime.bigint();
    ctx.metrics.httpRequests.inc({ method: request.method, route, status: String(reply.statusCode) });
    ctx.metrics.httpDuration.observe(
      { method: request.method, route },
      Number(process.hrtime.bigint() - started) / 1e9,
    );
    const tenantId = (request.params as Params | undefined)?.tenantId;
    if (ctx.log.isLevelEnabled('debug'))
      request.log.debug(
        { tenantId, correlationId: request.id, method: request.method, route, status: reply.statusCode },
        'request',
      );
    done();
  });

  app.setErrorHandler((error, request, reply) => {
    const body = toProblem(error);
    const tenantId = (request.params as Params | undefined)?.tenantId;
    if (body.status >= 500) request.log.error({ err: error, tenantId, correlationId: request.id }, 'request failed');
    else request.log.debug({ tenantId, correlationId: request.id, code: body.code }, 'request rejected');
    void reply.code(body.status).type('application/problem+json').send(body);
  });
  app.setNotFoundHandler((request, reply) => {
    void reply
      .code(404)
      .type('application/problem+json')
      .send(toProblem(new DomainError('NOT_FOUND', `no route ${request.method} ${request.url}`)));
  });

  /**
   * Sends `body` — unless the `api.after-commit-before-response` failpoint drops the connection
   * (`drop`) or kills the process (`crash`) with the command committed and its answer unsent.
   */
  const respond = (reply: FastifyReply, status: number, body: unknown): FastifyReply | undefined => {
    const failpoint = ctx.failpoints.hit('api.after-commit-before-response');
    if (failpoint === 'crash') process.kill(process.pid, 'SIGKILL');
    if (failpoint === 'drop') {
      reply.hijack();
      reply.raw.socket?.destroy();
      return undefined;
    }
    return reply.code(status).send(body);
  };

  const tenant = (request: Req) => parseTenantId(request.params.tenantId);
  const quoteId = (request: Req) => parseUuid('quote', request.params.quoteId);
  const base = '/v1/tenants/:tenantId';

  app.post(`${base}/catalog/publish`, async (request: Req, reply) => {
    const t = tenant(request);
    const { offerings } = parseCatalogPublish(request.body);
    return respond(reply, 201, { catalogVersion: await publishCatalog(ctx, t, offerings) });
  });
  app.get(`${base}/catalog/offerings/:offeringId`, async (request: Req) =>
    getOffering(ctx, tenant(request), parseId('offeringId', request.params.offeringId)),
  );
  app.post(`${base}/price-lists/publish`, async (request: Req, reply) => {
    const t = tenant(request);
    const { currency, entries } = parsePriceListPublish(request.body);
    return respond(reply, 201, { priceListVersion: await publishPriceList(ctx, t, currency, entries) });
  });
  app.get(`${base}/prices/:offeringId`, async (request: Req) =>
    getPrice(
      ctx,
      tenant(request),
      parseId('offeringId', request.params.offeringId),
      parseCurrency(request.query.currency),
    ),
  );
  app.post(`${base}/approval-policy/publish`, async (request: Req, reply) => {
    const t = tenant(request);
    return respond(reply, 201, { policyVersion: await publishPolicy(ctx, t, parsePolicyPublish(request.body)) });
  });

  app.post(`${base}/quotes`, async (request: Req, reply) => {
    const t = tenant(request);
    const command = parseCreateQuote(request.body);
    return respond(reply, 201, quoteView(await createNewQuote(ctx, { ...command, tenantId: t })));
  });
  app.get(`${base}/quotes/:quoteId`, async (request: Req) =>
    quoteView(await getQuote(ctx, tenant(request), quoteId(request))),
  );
  const transition = (path: string, action: (ctx: AppContext, t: string, q: string) => Promise<Quote>) =>
    app.post(`${base}/quotes/:quoteId/${path}`, async (request: Req, reply) =>
      respond(reply, 200, quoteView(await action(ctx, tenant(request), quoteId(request)))),
    );
  transition('price', price);
  transition('submit', submit);
  transition('approve', approve);
  transition('accept', accept);
  app.post(`${base}/quotes/:quoteId/convert`, async (request: Req, reply) => {
    const t = tenant(request);
    const q = quoteId(request);
    const key = parseIdempotencyKey(request.headers['idempotency-key']);
    const result = await convert(ctx, t, q, key);
    return respond(reply, result.status, result.body);
  });

  app.get(`${base}/orders/:orderId`, async (request: Req) => {
    const t = tenant(request);
    const orderId = parseUuid('order', request.params.orderId);
    const order = await ctx.store.orders.get(t, orderId);
    if (!order) throw new DomainError('NOT_FOUND', `no order ${orderId}`);
    return orderView(order);
  });
  app.get(`${base}/orders`, async (request: Req) => {
    const t = tenant(request);
    const q = request.query.quoteId;
    if (q === undefined)
      throw new DomainError(
        'VALIDATION_FAILED',
        'the quoteId query parameter is required',
        'GET …/orders?quoteId=<quote id>',
      );
    // Quote ids are UUIDs: anything else is malformed (400), never handed to the database.
    if (!isUuid(q)) throw new DomainError('VALIDATION_FAILED', 'quoteId must be a quote id (a lower-case UUID)');
    const orders = await ctx.store.orders.byQuote(t, q);
    return { orders: orders.map(orderView) };
  });

  app.get(`${base}/ops/reconcile`, async (request: Req) => {
    const olderThan = parseOlderThanSec(request.query.olderThanSec);
    return reconcile(ctx, postgresReconcileSource(pool), tenant(request), olderThan);
  });

  registerOpsRoutes(app, {
    metrics: ctx.metrics,
    failpoints: ctx.failpoints,
    failpointsEnabled,
    health: async () => {
      await pool.query('select 1');
      return { redis: ctx.cache.degraded ? 'degraded' : 'ok', ...healthDetails?.() };
    },
  });
  return app;
}
