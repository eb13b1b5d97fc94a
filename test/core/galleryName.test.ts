import { GALLERY_NAME_MAX_LENGTH, galleryNameProblem } from '../../src/core/galleryName';

describe('galleryNameProblem (Azure Compute Gallery names)', () => {
  it.each(['physics_gallery', 'a', 'Gallery.v2', 'A1_b.2', 'x'.repeat(80), '9lives', '_under_'])('accepts %p', (name) => {
    expect(galleryNameProblem(name)).toBeUndefined();
  });

  it('says an empty name is empty', () => {
    expect(galleryNameProblem('')).toEqual({ key: 'create.name.empty', params: {} });
  });

  it('says how long a too long name is', () => {
    expect(galleryNameProblem('g'.repeat(81))).toEqual({ key: 'create.name.tooLong', params: { length: 81, max: GALLERY_NAME_MAX_LENGTH } });
    expect(galleryNameProblem('g'.repeat(200))?.params).toMatchObject({ length: 200 });
  });

  it('lists each invalid character once, in order, quoting visible ones', () => {
    expect(galleryNameProblem('physics-gallery-2024!')).toEqual({
      key: 'create.name.invalidChars',
      params: { name: 'physics-gallery-2024!', chars: '"-" "!"', count: 2 },
    });
  });

  it('names blanks and control characters by code point, which a chat would swallow', () => {
    expect(galleryNameProblem('my gallery\t1')?.params).toMatchObject({ chars: 'U+0020 U+0009', count: 2 });
  });

  it('takes letters outside ASCII as invalid (Azure allows only A–Z, a–z)', () => {
    expect(galleryNameProblem('galerie_été')?.params).toMatchObject({ chars: '"é"', count: 1 });
  });

  it('counts an emoji as one character', () => {
    expect(galleryNameProblem('lab🧪')?.params).toMatchObject({ chars: '"🧪"', count: 1 });
  });

  it('reports invalid characters before the length, since they must change anyway', () => {
    expect(galleryNameProblem(`${'a'.repeat(90)}-`)?.key).toBe('create.name.invalidChars');
  });

  it('bounds the name it echoes back', () => {
    const params = galleryNameProblem(`${'-'.repeat(300)}`)?.params;
    expect(String(params?.name).length).toBeLessThanOrEqual(101);
  });

  it.each([
    ['.gallery', 'create.name.periodStart'],
    ['gallery.', 'create.name.periodEnd'],
    ['.gallery.', 'create.name.periodBoth'],
    ['.', 'create.name.periodBoth'],
  ])('says where the period is in %p', (name, key) => {
    expect(galleryNameProblem(name)).toEqual({ key, params: { name } });
  });

  it('allows periods inside', () => {
    expect(galleryNameProblem('a.b.c')).toBeUndefined();
  });
});
