import { actingUserId, requesterOf } from '../../src/bot/requester';

describe('a Teams user as our requester', () => {
  it.each([
    [{ id: '29:u', aadObjectId: 'aad-1', name: 'Ada' }, { id: '29:u', aadObjectId: 'aad-1', name: 'Ada' }, 'aad-1'],
    [{ id: '29:u', name: 'Ada' }, { id: '29:u', name: 'Ada' }, undefined],
    [{ id: '29:u', aadObjectId: 'aad-1' }, { id: '29:u', aadObjectId: 'aad-1' }, 'aad-1'],
    [{ id: '29:u', aadObjectId: '', name: '' }, { id: '29:u' }, undefined],
    // The channel account carries more (role, properties): none of it is taken.
    [{ id: '29:u', name: 'Ada', role: 'user', properties: { x: 1 } }, { id: '29:u', name: 'Ada' }, undefined],
  ])('%j', (from, requester, acting) => {
    expect(requesterOf(from)).toEqual(requester);
    // The one identity rule: the Entra object id, or nobody (never the channel's id, which a forged activity sets).
    if (acting === undefined) expect(() => actingUserId(requesterOf(from))).toThrow(expect.objectContaining({ key: 'identity.required' }));
    else expect(actingUserId(requesterOf(from))).toBe(acting);
  });
});
