/**
 * Credential package: claims ⇄ JWS ⇄ QR text, verification, status lists,
 * resident proofs. Pure and isomorphic (no `node:` imports): runs in Node and
 * in the browser verifier. See README.md in this folder.
 */
export { CredentialError, type CredentialErrorCode } from './errors.js';
export { QR_PREFIX, MAX_QR_TEXT_LENGTH, toQrText, fromQrText, qrSegments } from './qr-text.js';
export {
  CARD_ALPHABET,
  CARD_NUMBER_LENGTH,
  checkCharacter,
  generateCardNumber,
  normalizeCardNumber,
  isValidCardNumber,
  formatCardNumber,
} from './card-number.js';
export { type CardClaims, CARD_LABELS, ISSUER_ID, toPayload, fromPayload } from './claims.js';
export {
  type SignatureAlg,
  type Signer,
  type SigningKey,
  MIN_KID_LENGTH,
  generateSigningKey,
  thumbprint,
  exportPublicJwk,
} from './keys.js';
export { type SignOptions, credentialKid, signCard, issueCardQrText } from './sign.js';
export {
  type TrustedKey,
  type TrustedIssuer,
  type TrustStore,
  type IssuerInfo,
  type PreparedKey,
  type PreparedIssuer,
  type PreparedTrustStore,
  type SignatureCheck,
  type PrepareOptions,
  webCryptoCheck,
  prepareIssuer,
  prepareTrustStore,
} from './trust-store.js';
export {
  type VerificationResultCode,
  type VerificationResult,
  type VerifyOptions,
  verifyCredential,
} from './verify.js';
export {
  type StatusBits,
  type StatusListClaim,
  type StatusList,
  type VerifiedStatusList,
  STATUS_VALID,
  STATUS_INVALID,
  STATUS_SUSPENDED,
  MIN_STATUS_LIST_SLOTS,
  MAX_STATUS_LIST_BYTES,
  STATUS_LIST_TYP,
  packStatuses,
  encodeStatusList,
  compressStatusList,
  decodeStatusList,
  statusListSize,
  getStatus,
  setStatus,
  signStatusList,
  verifyStatusList,
} from './status-list.js';
export {
  type ResidentProofRequest,
  type ResidentProofResult,
  type ResidentProofResultCode,
  RESIDENT_PROOF_PREFIX,
  PROOF_LABELS,
  PROOF_NONCE_BYTES,
  DEFAULT_MAX_PROOF_LIFETIME_SECONDS,
  signResidentProof,
  residentProofQrSegments,
  verifyResidentProof,
} from './resident-proof.js';
