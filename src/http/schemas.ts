/** Schemas shared by several modules' routes. */
import { Type } from 'typebox';

/** RFC 9457 problem details, as every error leaves the service. */
export const Problem = Type.Object(
  {
    type: Type.String(),
    code: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.Optional(Type.String()),
    errors: Type.Optional(Type.Array(Type.Object({ path: Type.String(), message: Type.String() }))),
  },
  { additionalProperties: true, $id: 'Problem' },
);

export const ProblemRef = Type.Ref('Problem');

/** The usual error answers of an authenticated route. */
export const authErrors = { 401: ProblemRef, 403: ProblemRef } as const;

export const Uuid = Type.String({ format: 'uuid' });
