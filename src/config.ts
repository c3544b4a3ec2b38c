import path from 'node:path';
import { z } from 'zod';

/**
 * Configuration is parsed once at start from the environment.
 * Nothing else in the code base reads process.env (tests pass a Config directly).
 */
const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  /** When set, Revline uses this PostgreSQL server instead of the embedded PGlite. */
  DATABASE_URL: z.string().url().optional(),
  /** Folder of the embedded database (PGlite). */
  REVLINE_DATA_DIR: z.string().optional(),
  /** Public URL used in links (emails, printed demo logins). */
  PUBLIC_URL: z.string().url().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Session lifetime in hours. */
  SESSION_TTL_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 90)
    .default(24 * 14),
  /** Login attempts allowed per IP per minute. */
  LOGIN_RATE_LIMIT: z.coerce.number().int().min(1).default(10),
  /** Send cookies with the Secure flag (set when served over HTTPS). */
  COOKIE_SECURE: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  /** Outgoing mail (buyer surveys), e.g. smtp://user:pass@mail.example.com:587. Unset: nothing is emailed. */
  SMTP_URL: z.string().url().optional(),
  /** The From address of outgoing mail. */
  MAIL_FROM: z.string().default('Revline <no-reply@revline.local>'),
});

export type Config = {
  port: number;
  host: string;
  databaseUrl?: string;
  dataDir: string;
  publicUrl: string;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  sessionTtlHours: number;
  loginRateLimit: number;
  cookieSecure: boolean;
  smtpUrl?: string;
  mailFrom: string;
};

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir: path.resolve(e.REVLINE_DATA_DIR ?? path.join(process.cwd(), '.revline-data')),
    publicUrl: e.PUBLIC_URL ?? `http://localhost:${e.PORT}`,
    logLevel: e.LOG_LEVEL,
    sessionTtlHours: e.SESSION_TTL_HOURS,
    loginRateLimit: e.LOGIN_RATE_LIMIT,
    cookieSecure: e.COOKIE_SECURE,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
  };
}
