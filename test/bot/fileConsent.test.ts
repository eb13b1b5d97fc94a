import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Activity, Attachment } from 'botbuilder';
import { addBigGallery } from '../support/bigGallery';
import { ADMIN, createBotHarness, MEMBER, type BotHarness } from '../support/botHarness';

const PERSONAL = { id: 'consent-chat', isGroup: false, conversationType: 'personal', name: 'chat' };

/** Teams' file consent card (the Azure mode's delivery): accept uploads the CSV to the URL Teams gives, decline forgets it. */
describe('inventory through the file consent card', () => {
  let h: BotHarness;
  let server: http.Server;
  let uploadUrl: string;
  const uploads: { headers: http.IncomingHttpHeaders; body: Buffer }[] = [];

  beforeAll(async () => {
    h = await createBotHarness({ access: { adminIds: [ADMIN] }, fileDelivery: 'consent' });
    const big = addBigGallery(h.azure.emulator.state, 3, 'consent_gallery');
    await h.services.bindings.put({ conversationId: PERSONAL.id, hostId: big.planId, boundBy: ADMIN, boundAt: 0 });
    // Stands for the user's OneDrive upload session.
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        uploads.push({ headers: req.headers, body: Buffer.concat(chunks) });
        res.statusCode = 201;
        res.end('{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    uploadUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/upload`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await h.close();
  });

  const from = (aadObjectId: string) => ({ id: `user-${aadObjectId}`, name: 'User', aadObjectId });
  const askInventory = async (): Promise<{ fileId: string; consent: Attachment }> => {
    const replies = await h.send({ type: 'message', text: 'inventory', locale: 'en-US', from: from(ADMIN), conversation: PERSONAL });
    const consent = replies.flatMap((r) => r.attachments ?? []).find((a) => a.contentType === 'application/vnd.microsoft.teams.card.file.consent');
    expect(consent).toBeDefined();
    const fileId = String((consent!.content as { acceptContext: { fileId: string } }).acceptContext.fileId);
    return { fileId, consent: consent! };
  };
  const answer = (action: 'accept' | 'decline', fileId: string, aadObjectId = ADMIN): Promise<Partial<Activity>[]> =>
    h.send({
      type: 'invoke',
      name: 'fileConsent/invoke',
      locale: 'en-US',
      from: from(aadObjectId),
      conversation: PERSONAL,
      value: {
        type: 'fileUpload',
        action,
        context: { fileId },
        uploadInfo: { name: 'consent_gallery-inventory.csv', uploadUrl, contentUrl: 'https://contoso-my.sharepoint.com/f.csv', uniqueId: 'u-1', fileType: 'csv' },
      },
    });

  it('offers a consent card with the size and, on accept, uploads the file in one PUT and shows it as a file card', async () => {
    const { fileId, consent } = await askInventory();
    const file = h.services.files.get(fileId)!;
    expect((consent.content as { sizeInBytes: number }).sizeInBytes).toBe(file.sizeInBytes);

    const replies = await answer('accept', fileId);
    expect(uploads).toHaveLength(1);
    expect(uploads[0]?.headers['content-range']).toBe(`bytes 0-${file.sizeInBytes - 1}/${file.sizeInBytes}`);
    expect(uploads[0]?.body.toString('utf8')).toMatch(/^gallery,image,/);
    const info = replies.flatMap((r) => r.attachments ?? []).find((a) => a.contentType === 'application/vnd.microsoft.teams.card.file.info');
    expect(info).toMatchObject({ contentUrl: 'https://contoso-my.sharepoint.com/f.csv', content: { uniqueId: 'u-1', fileType: 'csv' } });
    // Uploaded: gone from the shelf, and a second accept uploads nothing.
    expect(h.services.files.get(fileId)).toBeUndefined();
    await answer('accept', fileId);
    expect(uploads).toHaveLength(1);
  });

  it('refuses someone else\'s accept, and forgets the file on decline', async () => {
    const { fileId } = await askInventory();
    const stolen = await answer('accept', fileId, MEMBER);
    expect(JSON.stringify(stolen)).toMatch(/made for someone else/);
    expect(uploads).toHaveLength(1);
    const declined = await answer('decline', fileId);
    expect(JSON.stringify(declined)).toMatch(/No file then/);
    expect(h.services.files.get(fileId)).toBeUndefined();
  });
});
