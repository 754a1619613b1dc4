/**
 * A body declared larger than the limit is read to its end and dropped (up to `drainLimit`), then
 * answered 413 on a connection that stays usable. Fastify answers such a request at once and closes
 * the connection while the client is still sending, so the client often reads a reset instead of
 * the 413 (`explore --family input`: one "body over 1 MiB" request of 400 went unanswered in two
 * full CI runs in a row). A body declared beyond `drainLimit` is still refused at once, connection
 * closed: reading it would cost more than the reset.
 */
import { errorCodes, type FastifyInstance } from 'fastify';

export function drainOversizeBodies(app: FastifyInstance, limit: number, drainLimit = 16 * limit): void {
  app.addHook('onRequest', (request, reply, done) => {
    const declared = Number(request.headers['content-length']);
    if (!(declared > limit) || declared > drainLimit) {
      done();
      return;
    }
    const raw = request.raw;
    raw.once('end', () => void reply.send(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE()));
    raw.resume(); // read and drop; a client that gives up closes the socket, and nothing is sent
  });
}
