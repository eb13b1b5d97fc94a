import type { ImageView } from '../../src/core/imageService';
import { encodeChanges, isCarriedCode, listTag, MAX_CARRIED_CHANGES, namesDigest, pendingChanges } from '../../src/views/imageChanges';

const image = (name: string, enabled: boolean): ImageView => ({ name, displayName: name, enabled, osType: 'Linux', osState: 'Generalized', definitionId: '' });
const gallery = Array.from({ length: 2000 }, (_, i) => image(`img-${i}`, i % 2 === 0));

describe('changes carried across pages', () => {
  it('round-trips by position, leaving out what the page shows, within one card string', () => {
    const wanted = new Map([['img-1', true], ['img-1999', true], ['img-4', false], ['img-6', true]]);
    const { pending } = pendingChanges(gallery, { toggles: Object.fromEntries(wanted) });
    // img-6 is already enabled: not a change.
    expect([...pending]).toEqual([['img-1', true], ['img-1999', true], ['img-4', false]]);
    const carried = encodeChanges(gallery, pending, new Set(['img-4']))!;
    expect(carried).toEqual({ code: '1+.1jj+', tag: listTag(gallery) });
    expect(pendingChanges(gallery, { carried }).pending).toEqual(new Map([['img-1', true], ['img-1999', true]]));
    const most = Array.from({ length: MAX_CARRIED_CHANGES }, (_, i) => `${(1296 + i).toString(36)}+`).join('.');
    expect([isCarriedCode(most), most.length <= 200, isCarriedCode(`${most}.1+`)]).toEqual([true, true, false]);
  });

  it('lets the page toggles and a bulk change override what was carried', () => {
    const carried = encodeChanges(gallery, new Map([['img-1', true], ['img-3', true]]), new Set())!;
    const { pending } = pendingChanges(gallery, { carried, toggles: { 'IMG-1': false }, forget: ['img-3'] });
    expect(pending.size).toBe(0);
  });

  it('drops what was carried, and counts it, when the list changed', () => {
    const carried = encodeChanges(gallery, new Map([['img-1', true], ['img-3', true]]), new Set())!;
    expect(pendingChanges(gallery.slice(1), { carried })).toEqual({ pending: new Map(), lost: 2 });
    expect(namesDigest(['B', 'a'])).toBe(namesDigest(['A', 'b', 'a']));
  });
});
