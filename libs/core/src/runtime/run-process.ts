import { ConsoleLogger, Logger, LogLevel } from '@nestjs/common';
import { AppConfig, ConfigError, loadConfig } from '../config';

type Stop = () => Promise<void>;

/**
 * Starts a process: validated config first (a bad variable stops it with a message naming it),
 * then the app; SIGINT/SIGTERM stop it cleanly.
 */
export function runProcess(name: string, start: (config: AppConfig) => Promise<Stop>): void {
  const log = new Logger(name);
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
  useLogger(config);
  start(config).then(
    (stop) => {
      let stopping = false;
      const shutdown = (signal: string) => {
        if (stopping) return;
        stopping = true;
        log.log(`${signal}: stopping`);
        stop().then(
          () => process.exit(0),
          (err) => {
            log.error(`stopping failed: ${err.message}`);
            process.exit(1);
          },
        );
      };
      process.on('SIGINT', () => shutdown('SIGINT'));
      process.on('SIGTERM', () => shutdown('SIGTERM'));
    },
    (err) => {
      // A configuration found wrong only once connected (e.g. the database role) is still EX_CONFIG.
      err = unlistenableHost(err, config) ?? err;
      if (err instanceof ConfigError) {
        console.error(err.message);
        process.exit(78);
      }
      log.error(`failed to start: ${err.stack ?? err.message}`);
      process.exit(1);
    },
  );
}

/** HOST well-formed but not an address of this machine (a name that does not resolve, another host's IP): a configuration error too. */
function unlistenableHost(err: unknown, config: AppConfig): ConfigError | undefined {
  const e = err as { code?: string; syscall?: string; hostname?: string; address?: string };
  const here = e?.hostname === config.host || e?.address === config.host;
  if (!here || !['ENOTFOUND', 'EAI_AGAIN', 'EADDRNOTAVAIL'].includes(e.code ?? '')) return undefined;
  return new ConfigError('HOST', `cannot be listened on: "${config.host}" is not an address of this machine (${e.code})`);
}

/**
 * A process that sends mail needs a mail server in production: the dev mailbox would show every
 * acknowledgment link to anyone who opens it. Checked before Nest starts, so it exits with 78.
 */
export function requireMailTransport(config: AppConfig): void {
  if (config.env === 'production' && !config.smtpUrl) throw noMailTransport();
}

/** The refusal itself, also raised by the mail transport when asked for the dev mailbox in production. */
export function noMailTransport(): ConfigError {
  return new ConfigError('SMTP_URL', 'is required when NODE_ENV=production: mail is never kept in the dev mailbox there');
}

/** Apps run as separate processes must share a database and a broker. */
export function requireDistributed(config: AppConfig): void {
  if (!config.databaseUrl) throw new ConfigError('DATABASE_URL', 'is required when the apps run as separate processes');
  if (!config.natsUrl) throw new ConfigError('NATS_URL', 'is required when the apps run as separate processes');
}

const LEVELS: Record<AppConfig['logLevel'], LogLevel[]> = {
  debug: ['fatal', 'error', 'warn', 'log', 'debug'],
  info: ['fatal', 'error', 'warn', 'log'],
  warn: ['fatal', 'error', 'warn'],
  error: ['fatal', 'error'],
};

/** One logger for every Nest app in the process: JSON lines in production, the level from LOG_LEVEL. */
export function useLogger(config: AppConfig): void {
  Logger.overrideLogger(new ConsoleLogger({ json: config.logFormat === 'json', logLevels: LEVELS[config.logLevel] }));
}
