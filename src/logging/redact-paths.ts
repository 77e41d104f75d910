/**
 * Log paths that may carry a secret (docs/DEPLOYMENT.md, "Logs": logs never
 * carry a password, a token or an Authorization header). The request line
 * itself logs no headers or bodies; these guard anything else that gets logged.
 * Kept short and without wildcards: pino checks them on every line, and a
 * wildcard walks every key of every line.
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  'password',
  'currentPassword',
  'newPassword',
  'accessToken',
  'refreshToken',
  'token',
  'body.password',
  'body.currentPassword',
  'body.newPassword',
  'body.refreshToken',
  // TypeORM query errors carry the bound values: emails, password and token hashes.
  'err.parameters',
  'err.driverError.parameters',
];
