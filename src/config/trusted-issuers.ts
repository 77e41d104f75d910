import Joi from 'joi';

/** Asymmetric JWS algorithms only: an HMAC key would have to be shared, and `none` signs nothing (RFC 8725 §3.1). */
export const ASYMMETRIC_ALGORITHMS = [
  'EdDSA',
  'ES256',
  'ES384',
  'ES512',
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
] as const;

export type AsymmetricAlgorithm = (typeof ASYMMETRIC_ALGORITHMS)[number];

/** An identity provider whose access tokens are accepted beside ours. */
export interface TrustedIssuer {
  /** Compared byte for byte with the token's `iss` (no trailing-slash or case folding). */
  issuer: string;
  /** Where its public keys are published. */
  jwksUri: string;
  /** The `aud` its tokens must carry for this API. */
  audience: string;
  algorithms: AsymmetricAlgorithm[];
  /** Whether a verified email in its tokens may be stored on the user it provisions. */
  trustEmail: boolean;
}

const issuerSchema = Joi.object<TrustedIssuer>({
  issuer: Joi.string().min(1).max(2048).required(),
  jwksUri: Joi.string()
    .uri({ scheme: ['https', 'http'] })
    .required(),
  audience: Joi.string().min(1).max(2048).required(),
  algorithms: Joi.array()
    .items(Joi.string().valid(...ASYMMETRIC_ALGORITHMS))
    .min(1)
    .unique()
    .required(),
  trustEmail: Joi.boolean().default(false),
}).options({ allowUnknown: false, abortEarly: true });

const issuersSchema = Joi.array<TrustedIssuer[]>().items(issuerSchema).unique('issuer');

/**
 * TRUSTED_ISSUERS: a JSON array of issuers. Throws an Error whose message
 * says what is wrong; empty or unset means no external issuer.
 */
export function parseTrustedIssuers(raw: string | undefined): TrustedIssuer[] {
  if (raw === undefined || raw.trim() === '') return [];
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new Error('TRUSTED_ISSUERS must be a JSON array of issuers (see .env.example)');
  }
  const result: Joi.ValidationResult<TrustedIssuer[]> = issuersSchema.validate(value, { convert: true });
  if (result.error) throw new Error(`TRUSTED_ISSUERS: ${result.error.message}`);
  return result.value;
}

/**
 * Keys must come over TLS in production; plain http is for a provider on
 * this host (a sidecar, a test server).
 */
export function insecureJwksUri(issuers: TrustedIssuer[]): string | undefined {
  return issuers.find(({ jwksUri }) => {
    const url = new URL(jwksUri);
    return url.protocol === 'http:' && !['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  })?.jwksUri;
}
