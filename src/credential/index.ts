/**
 * Credential package: card claims ⇄ Claim 169 CWT ⇄ COSE_Sign1 ⇄ QR text
 * (zlib, Base45), verification, status lists, resident proofs. Pure and
 * isomorphic (no `node:` imports): runs in Node and in the browser verifier.
 * See README.md in this folder.
 */
export { CredentialError, type CredentialErrorCode } from './errors.js';
export { MAX_QR_TEXT_LENGTH, MAX_COSE_BYTES, toQrText, fromQrText, qrSegments } from './qr-text.js';
export { BASE45_ALPHABET, base45Encode, base45Decode } from './base45-codec.js';
export { type BrotliDecompress, MAX_COMPRESSED_BYTES, zlibCompress, decompress, isZlibHeader } from './compression.js';
export { COSE_ALG, COSE_HEADER, TAG_COSE_SIGN1, TAG_CWT, type ParsedSign1, parseSign1, encodeSign1, protectedHeader, sigStructure } from './cose.js';
export { CWT, type CwtClaims, type StatusReference, encodeCwt, decodeCwt } from './cwt.js';
export { CLAIM_169, C169, type Claim169Identity, encodeIdentity, decodeIdentity } from './claim169.js';
export { Tag, encodeCbor, decodeCbor } from './cbor.js';
export { type InspectedCredential, inspectCredential } from './inspect.js';
export {
  CARD_ALPHABET,
  CARD_NUMBER_LENGTH,
  checkCharacter,
  generateCardNumber,
  normalizeCardNumber,
  isValidCardNumber,
  formatCardNumber,
} from './card-number.js';
export { type CardClaims, ISSUER_ID, ISO639_1_TO_3, DAY_STARTS_EARLY, DAY_ENDS_LATE, isCleanText, toCwtClaims, fromCwtClaims } from './claims.js';
export {
  type SignatureAlg,
  type Signer,
  type SigningKey,
  COSE_KID_BYTES,
  coseKid,
  generateSigningKey,
  thumbprint,
  exportPublicJwk,
} from './keys.js';
export { type SignOptions, signRaw, signCwt, signCard, issueCardQrText } from './sign.js';
export {
  type TrustedKey,
  type TrustedIssuer,
  type TrustStore,
  type IssuerInfo,
  type PreparedKey,
  type PreparedIssuer,
  type PreparedTrustStore,
  type SignatureCheck,
  type SignedBytes,
  type PrepareOptions,
  webCryptoCheck,
  issuerFor,
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
  PROOF_NONCE_BYTES,
  DEFAULT_MAX_PROOF_LIFETIME_SECONDS,
  credentialKind,
  signResidentProof,
  verifyResidentProof,
} from './resident-proof.js';
