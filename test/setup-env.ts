import { LIFTED_LIMITS } from './helpers/lifted-limits.js';

// Runs before each e2e file imports the application: the configuration it boots with.
process.env.NODE_ENV = 'test';
process.env.DATABASE_URL = process.env.E2E_DATABASE_URL;
process.env.DB_POOL_SIZE = process.env.E2E_DB_POOL_SIZE;
process.env.DB_POOL_MODE = process.env.E2E_DB_POOL_MODE;
process.env.JWT_SECRET = 'test-secret-that-is-long-enough-for-hs256-0123456789';
process.env.LOG_LEVEL = 'silent';
process.env.CORS_ORIGINS = 'https://app.example.com';
Object.assign(process.env, LIFTED_LIMITS);
