import * as restify from 'restify';
import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type ConfigurationBotFrameworkAuthenticationOptions,
} from 'botbuilder';
import type { BotFrameworkSettings } from './config';
import type { Logger } from './ports/logger';
import type { LabGalleryBot } from './bot/labGalleryBot';

export interface ReadinessCheck {
  name: string;
  /** true, or not ready with the reason /readyz gives (a check that throws is not ready either). */
  check(): Promise<boolean | { ok: false; reason: string }>;
}

export interface ServerDeps {
  adapter: CloudAdapter;
  bot: LabGalleryBot;
  log: Logger;
  readiness: readonly ReadinessCheck[];
}

export interface RunningServer {
  url: string;
  port: number;
  adapter: CloudAdapter;
  /** Stops accepting, waits for turns in flight (up to the timeout), then resolves. */
  close(timeoutMs?: number): Promise<void>;
}

export function createAdapter(settings: BotFrameworkSettings, log: Logger): CloudAdapter {
  const options: ConfigurationBotFrameworkAuthenticationOptions = {
    MicrosoftAppId: settings.appId,
    MicrosoftAppPassword: settings.appPassword,
    MicrosoftAppType: settings.appType,
    MicrosoftAppTenantId: settings.appTenantId,
  };
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication(options));
  // Last resort: the bot's own boundary handles turn errors; this catches what escapes it (e.g. auth).
  adapter.onTurnError = async (_context, error) => {
    log.error({ err: error }, 'unhandled turn error');
  };
  return adapter;
}

export async function startServer(deps: ServerDeps, port: number, host = '0.0.0.0'): Promise<RunningServer> {
  const { bot, log, adapter } = deps;
  const server = restify.createServer({ name: 'lab-gallery-bot', handleUncaughtExceptions: false });
  server.use(restify.plugins.bodyParser({ maxBodySize: 256 * 1024 }));

  let inFlight = 0;
  let draining = false;
  let drained: (() => void) | undefined;

  server.post('/api/messages', async (req: restify.Request, res: restify.Response) => {
    if (draining) {
      res.send(503, { error: 'shutting down' });
      return;
    }
    inFlight++;
    try {
      await adapter.process(req, res, (context) => bot.run(context));
    } finally {
      inFlight--;
      if (draining && inFlight === 0) drained?.();
    }
  });

  server.get('/healthz', async (_req: restify.Request, res: restify.Response) => {
    res.send(200, { status: 'ok' });
  });

  server.get('/readyz', async (_req: restify.Request, res: restify.Response) => {
    const results = await Promise.all(
      deps.readiness.map(async (r) => [r.name, await r.check().catch(() => ({ ok: false as const, reason: `${r.name} check failed` }))] as const),
    );
    const ready = !draining && results.every(([, result]) => result === true);
    const reasons = results.flatMap(([name, result]) => (result === true ? [] : [[name, result === false ? `${name} not ready` : result.reason]]));
    if (draining) reasons.push(['server', 'shutting down']);
    res.send(ready ? 200 : 503, {
      status: ready ? 'ready' : 'not ready',
      checks: Object.fromEntries(results.map(([name, result]) => [name, result === true])),
      ...(reasons.length ? { reasons: Object.fromEntries(reasons) } : {}),
    });
  });

  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const address = server.address();
  const actualPort = address.port;
  const url = `http://127.0.0.1:${actualPort}`;
  log.info({ url }, 'listening');

  return {
    url,
    port: actualPort,
    adapter,
    async close(timeoutMs = 10_000) {
      draining = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      if (inFlight > 0) {
        log.info({ inFlight }, 'waiting for turns in flight');
        await Promise.race([
          new Promise<void>((resolve) => (drained = resolve)),
          new Promise<void>((resolve) => setTimeout(resolve, timeoutMs).unref()),
        ]);
      }
      server.server.closeIdleConnections?.();
      await Promise.race([closed, new Promise<void>((resolve) => setTimeout(resolve, 1000).unref())]);
    },
  };
}
