/** The audit log, for administrators: list (filtered, paginated) and chain check. */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Db } from '../../db/client.js';
import { authErrors, ProblemRef } from '../../http/schemas.js';
import type { AuditService } from './audit-service.js';

const Entry = Type.Object({
  seq: Type.Integer(),
  at: Type.String(),
  actorId: Type.Union([Type.String(), Type.Null()]),
  actorType: Type.String(),
  action: Type.String(),
  targetType: Type.Union([Type.String(), Type.Null()]),
  targetId: Type.Union([Type.String(), Type.Null()]),
  outcome: Type.String(),
  /** Events this entry sums up (refused calls aggregated per caller, route and minute); null for one. */
  count: Type.Union([Type.Integer(), Type.Null()]),
  hash: Type.String(),
});

export async function auditRoutes(
  base: FastifyInstance,
  opts: {
    audit: AuditService;
    db: Db;
    /** The pseudonym a resident's entries carry, while the record exists (src/modules/residents/resident-keys.ts). */
    pseudonymOf?: (residentId: string) => Promise<string | undefined>;
  },
) {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/v1/audit',
    {
      config: { access: ['admin'] },
      schema: {
        tags: ['audit'],
        summary:
          'Audit entries, newest first; page with `before` = the last seq seen. `resident`: the entries about one record (who read, changed, printed it) — none once it is erased, as nothing leads back to it then',
        querystring: Type.Object(
          {
            actor: Type.Optional(Type.String({ format: 'uuid' })),
            resident: Type.Optional(Type.String({ format: 'uuid' })),
            action: Type.Optional(Type.String({ maxLength: 64, pattern: '^[a-z_.]+\\*?$' })),
            from: Type.Optional(Type.String({ format: 'date-time' })),
            to: Type.Optional(Type.String({ format: 'date-time' })),
            before: Type.Optional(Type.Integer({ minimum: 1 })),
            limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(Entry), next: Type.Union([Type.Integer(), Type.Null()]) }), 400: ProblemRef, ...authErrors },
      },
    },
    async (req) => {
      const q = req.query;
      const targetId = q.resident ? await opts.pseudonymOf?.(q.resident) : undefined;
      if (q.resident && !targetId) return { items: [], next: null };
      const rows = await opts.audit.list(opts.db, {
        actorId: q.actor,
        targetId,
        action: q.action,
        from: q.from ? new Date(q.from) : undefined,
        to: q.to ? new Date(q.to) : undefined,
        beforeSeq: q.before,
        limit: q.limit,
      });
      return {
        items: rows.map((r) => ({ ...r, at: r.at.toISOString() })),
        next: rows.length === q.limit ? rows[rows.length - 1]!.seq : null,
      };
    },
  );

  app.get(
    '/v1/audit/verify',
    {
      config: { access: ['admin'] },
      schema: {
        tags: ['audit'],
        summary: 'Check the whole hash chain; reports the first broken entry',
        response: {
          200: Type.Object({
            ok: Type.Boolean(),
            checked: Type.Integer(),
            lastSeq: Type.Integer(),
            firstBroken: Type.Optional(Type.Object({ seq: Type.Integer(), reason: Type.String() })),
          }),
          ...authErrors,
        },
      },
    },
    async () => opts.audit.verifyChain(),
  );
}
