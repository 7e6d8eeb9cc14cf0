/**
 * Every way a credential can fail, as a stable code callers switch on.
 * The first group are verification results (DESIGN.md "Verification result");
 * a verifier reports them, it does not throw them past its boundary.
 */
export type CredentialErrorCode =
  | 'malformed'
  | 'invalid_signature'
  | 'unknown_issuer'
  | 'foreign_issuer'
  | 'key_revoked'
  | 'unsupported_algorithm'
  /** A signed document (status list token) is past its `exp`. */
  | 'expired';

export class CredentialError extends Error {
  override readonly name = 'CredentialError';
  constructor(
    readonly code: CredentialErrorCode,
    message: string,
  ) {
    super(message);
  }
}
