import * as restify from 'restify';
import { ActivityHandler, CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';

export interface RunningBot {
  url: string;
  close(): Promise<void>;
}

/**
 * The baseline: a bare botbuilder echo bot on the same HTTP stack as ours (restify 11 + bodyParser +
 * CloudAdapter without auth), so that a ratio against it measures the Lab Gallery bot's own turn work.
 */
export async function startEchoBot(): Promise<RunningBot> {
  // No onTurnError: a failing turn propagates to process(), which logs it and answers 500.
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({ MicrosoftAppId: '', MicrosoftAppPassword: '' }));

  const bot = new ActivityHandler();
  bot.onMessage(async (context, next) => {
    await context.sendActivity(`Echo: ${context.activity.text}`);
    await next();
  });

  const server = restify.createServer({ name: 'bench-echo-bot', handleUncaughtExceptions: false });
  server.use(restify.plugins.bodyParser({ maxBodySize: 256 * 1024 }));
  server.post('/api/messages', async (req: restify.Request, res: restify.Response) => {
    await adapter.process(req, res, (context) => bot.run(context));
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      server.server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
