import { actingUserId, requesterOf } from '../../src/bot/requester';

describe('a Teams user as our requester', () => {
  it.each([
    [{ id: '29:u', aadObjectId: 'aad-1', name: 'Ada' }, { id: '29:u', aadObjectId: 'aad-1', name: 'Ada' }, 'aad-1'],
    [{ id: '29:u', name: 'Ada' }, { id: '29:u', name: 'Ada' }, '29:u'],
    [{ id: '29:u', aadObjectId: 'aad-1' }, { id: '29:u', aadObjectId: 'aad-1' }, 'aad-1'],
    [{ id: '29:u', aadObjectId: '', name: '' }, { id: '29:u' }, '29:u'],
    // The channel account carries more (role, properties): none of it is taken.
    [{ id: '29:u', name: 'Ada', role: 'user', properties: { x: 1 } }, { id: '29:u', name: 'Ada' }, '29:u'],
  ])('%j', (from, requester, acting) => {
    expect(requesterOf(from)).toEqual(requester);
    expect(actingUserId(requesterOf(from))).toBe(acting);
  });
});
