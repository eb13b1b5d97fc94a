/**
 * A little load on a running bot, for its dashboards: help, status, images and an unknown word, a few turns a
 * second, as the demo's admin (Playground user) in a few conversations. Replies go to a local catcher.
 * Usage: npx tsx scripts/demoLoad.ts [bot url, default http://127.0.0.1:3978] [turns per second, default 4]
 */
import { PLAYGROUND_USERS } from '../src/emulator';
import { startCaptureConnector, teamsMessage } from '../test/support/captureConnector';

const WORDS = ['help', 'status', 'images', 'status', 'help', 'frobnicate'];

async function main(): Promise<void> {
  const botUrl = (process.argv[2] ?? 'http://127.0.0.1:3978').replace(/\/+$/, '');
  const perSecond = Number(process.argv[3] ?? '4');
  const connector = await startCaptureConnector();
  let sent = 0;
  let failed = 0;
  const timer = setInterval(() => {
    const text = WORDS[sent % WORDS.length] ?? 'help';
    const activity = teamsMessage(connector.url, text, { aadObjectId: PLAYGROUND_USERS.currentUser, conversationId: `load-${sent % 3}` });
    sent++;
    fetch(`${botUrl}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) }).then(
      (response) => {
        if (!response.ok) failed++;
      },
      () => failed++,
    );
    if (sent % 100 === 0) process.stderr.write(`demo load: ${sent} turns sent, ${failed} failed\n`);
  }, 1000 / perSecond);
  const stop = (): void => {
    clearInterval(timer);
    void connector.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`demo load failed: ${String(error)}\n`);
  process.exit(1);
});
