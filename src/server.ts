import * as restify from 'restify';
import {
  CallerIdConstants,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type ConfigurationBotFrameworkAuthenticationOptions,
} from 'botbuilder';
import {
  AuthenticationConstants,
  ToBotFromBotOrEmulatorTokenValidationParameters,
  type ServiceClientCredentialsFactory,
} from 'botframework-connector';
import type { BotFrameworkEndpoints, BotFrameworkSettings } from './config';
import type { Logger } from './ports/logger';
import * as fs from 'node:fs';
import type { LabGalleryBot } from './bot/labGalleryBot';
import type { FileShelf } from './core/fileShelf';
import { readActivityBody } from './http/activityBody';
import { GatedAuthentication } from './http/gatedAuthentication';
import { errorBody, guardedResponse } from './http/guardedResponse';
import { SigningKeyGate } from './http/signingKeyGate';

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
  /** Serves `/files/{id}?exp&sig`: the signed, expiring download links of files made for someone. */
  files?: FileShelf;
}

export interface RunningServer {
  url: string;
  port: number;
  adapter: CloudAdapter;
  /** Stops accepting, waits for turns in flight (up to the timeout), then resolves. */
  close(timeoutMs?: number): Promise<void>;
}

export interface AdapterOptions {
  /** Outbound credentials; default from the app id and password. Tests hand in one that needs no Entra ID. */
  credentialsFactory?: ServiceClientCredentialsFactory;
}

const PUBLIC_CLOUD: BotFrameworkEndpoints = {
  openIdMetadataUrl: AuthenticationConstants.ToBotFromChannelOpenIdMetadataUrl,
  tokenIssuer: AuthenticationConstants.ToBotFromChannelTokenIssuer,
  emulatorOpenIdMetadataUrl: AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl,
};

export function createAdapter(settings: BotFrameworkSettings, log: Logger, adapterOptions: AdapterOptions = {}): CloudAdapter {
  const endpoints = settings.endpoints ?? PUBLIC_CLOUD;
  const options: ConfigurationBotFrameworkAuthenticationOptions = {
    MicrosoftAppId: settings.appId,
    MicrosoftAppPassword: settings.appPassword,
    MicrosoftAppType: settings.appType,
    MicrosoftAppTenantId: settings.appTenantId,
    // Naming one endpoint makes botbuilder expect them all, so the outbound ones stay the public cloud's.
    ...(settings.endpoints
      ? {
          ToBotFromChannelOpenIdMetadataUrl: endpoints.openIdMetadataUrl,
          ToBotFromChannelTokenIssuer: endpoints.tokenIssuer,
          ToBotFromEmulatorOpenIdMetadataUrl: endpoints.emulatorOpenIdMetadataUrl,
          ToChannelFromBotLoginUrl: AuthenticationConstants.ToChannelFromBotLoginUrl,
          ToChannelFromBotOAuthScope: AuthenticationConstants.ToChannelFromBotOAuthScope,
          OAuthUrl: AuthenticationConstants.OAuthUrl,
          CallerId: CallerIdConstants.PublicAzureChannel,
        }
      : {}),
  };
  const issuers = ToBotFromBotOrEmulatorTokenValidationParameters.issuer;
  const gate = settings.appId
    ? new SigningKeyGate(
        {
          channel: { metadataUrl: endpoints.openIdMetadataUrl, issuer: endpoints.tokenIssuer },
          emulator: { metadataUrl: endpoints.emulatorOpenIdMetadataUrl, issuers: typeof issuers === 'string' ? [issuers] : (issuers ?? []) },
        },
        log.child({ component: 'auth' }),
      )
    : undefined;
  const authentication = new GatedAuthentication(
    new ConfigurationBotFrameworkAuthentication(options, adapterOptions.credentialsFactory),
    gate,
    log.child({ component: 'auth' }),
  );
  const adapter = new CloudAdapter(authentication);
  // Last resort: the bot's own boundary handles turn errors; this catches what escapes it (e.g. auth).
  adapter.onTurnError = async (_context, error) => {
    log.error({ err: error }, 'unhandled turn error');
  };
  return adapter;
}

export async function startServer(deps: ServerDeps, port: number, host = '0.0.0.0'): Promise<RunningServer> {
  const { bot, log, adapter } = deps;
  // No body parser: only /api/messages reads a body, through readActivityBody (limits before parsing).
  const server = restify.createServer({ name: 'lab-gallery-bot', handleUncaughtExceptions: false });
  // restify's own errors (404, 405, …) say only their status: no path echoed, no internals.
  server.on('restifyError', (_req: restify.Request, _res: restify.Response, err: { statusCode?: number; toJSON?: () => unknown }, done: () => void) => {
    const status = err.statusCode ?? 500;
    err.toJSON = () => errorBody(status);
    done();
  });

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
      const body = await readActivityBody(req);
      if (!body.ok) {
        log.warn({ status: body.status, reason: body.reason }, 'request refused before authentication');
        // An unread body is not worth draining: close the connection after the answer.
        if (body.status !== 400) res.header('connection', 'close');
        res.send(body.status, errorBody(body.status));
        return;
      }
      const request = { body: body.activity, headers: req.headers, method: req.method };
      const response = guardedResponse(res, (status, hidden) => log.warn({ status, detail: String(hidden).slice(0, 200) }, 'request refused'));
      await adapter.process(request, response, (context) => bot.run(context));
    } catch (error) {
      log.error({ err: error }, 'request failed');
      if (!res.headersSent) res.send(500, errorBody(500));
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

  const { files } = deps;
  if (files) {
    // The signature is the only key: the link goes to the requester alone, and it expires with the file.
    server.get('/files/:id', async (req: restify.Request, res: restify.Response) => {
      const query = new URL(req.url ?? '', 'http://x').searchParams;
      const file = files.verify(String(req.params.id ?? ''), query.get('exp') ?? '', query.get('sig') ?? '');
      if (!file) {
        res.send(404, errorBody(404));
        return;
      }
      res.writeHead(200, {
        'content-type': 'text/csv; charset=utf-8',
        'content-length': String(file.sizeInBytes),
        'content-disposition': `attachment; filename="${file.name.replace(/[^A-Za-z0-9._-]/g, '_')}"`,
        'cache-control': 'no-store',
      });
      await new Promise<void>((resolve) => fs.createReadStream(file.path).on('error', () => resolve()).on('end', resolve).pipe(res));
    });
  }

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
