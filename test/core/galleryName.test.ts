import fc from 'fast-check';
import { GALLERY_NAME_MAX_LENGTH, galleryNameProblem } from '../../src/core/galleryName';

/**
 * The REST spec's pattern for `galleryName` (azure-rest-api-specs, Compute typespec ComputeGallery/Gallery.tsp),
 * .NET syntax: `[\w-._]` is a word character, a hyphen, a period or an underscore; `(?<![-.])$` forbids a
 * trailing hyphen or period. Here with ASCII `\w`, as JavaScript has it.
 */
const SPEC_PATTERN = /^[^_\W][\w\-._]{0,79}(?<![-.])$/;

describe('galleryNameProblem (Azure Compute Gallery names)', () => {
  it.each(['physics_gallery', 'a', 'Gallery.v2', 'A1_b.2', 'x'.repeat(80), '9lives', 'b._c'])('accepts %p', (name) => {
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

  it('names spaces in words (the rule says no spaces) and control characters by code point, which a chat would swallow', () => {
    expect(galleryNameProblem('my gallery\t1')?.params).toMatchObject({ chars: '', count: 0 });
    expect(galleryNameProblem('my gallery\u00071')?.params).toMatchObject({ chars: 'U+0007', count: 1 });
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
    ['.gallery', { key: 'create.name.edgeStart', params: { name: '.gallery', char: '.' } }],
    ['_gallery', { key: 'create.name.edgeStart', params: { name: '_gallery', char: '_' } }],
    ['gallery.', { key: 'create.name.edgeEnd', params: { name: 'gallery.', char: '.' } }],
    ['gallery_', { key: 'create.name.edgeEnd', params: { name: 'gallery_', char: '_' } }],
    ['.gallery_', { key: 'create.name.edgeBoth', params: { name: '.gallery_', first: '.', last: '_' } }],
    ['_under_', { key: 'create.name.edgeBoth', params: { name: '_under_', first: '_', last: '_' } }],
    ['.', { key: 'create.name.edgeBoth', params: { name: '.', first: '.', last: '.' } }],
  ])('says which end of %p is not a letter or digit', (name, problem) => {
    expect(galleryNameProblem(name)).toEqual(problem);
  });

  it('accepts only names the REST spec pattern accepts (it is looser: hyphens, a trailing _)', () => {
    const nameChar = fc.constantFrom(...'abcXYZ019_.-!é '.split(''));
    fc.assert(
      fc.property(fc.array(nameChar, { minLength: 0, maxLength: 90 }), (chars) => {
        const name = chars.join('');
        if (galleryNameProblem(name) === undefined) expect(SPEC_PATTERN.test(name)).toBe(true);
      }),
      { numRuns: 2000 },
    );
    expect(SPEC_PATTERN.test('a-b')).toBe(true);
    expect(galleryNameProblem('a-b')?.key).toBe('create.name.invalidChars');
    expect(SPEC_PATTERN.test('ab_')).toBe(true);
    expect(galleryNameProblem('ab_')?.key).toBe('create.name.edgeEnd');
  });

  it('accepts every name of letters, digits, _ and . that starts and ends with a letter or digit, up to 80', () => {
    const inner = fc.array(fc.constantFrom(...'aZ9_.'.split('')), { maxLength: 78 }).map((c) => c.join(''));
    const edge = fc.constantFrom(...'aZ09'.split(''));
    fc.assert(fc.property(edge, inner, edge, (a, middle, b) => galleryNameProblem(`${a}${middle}${b}`) === undefined && SPEC_PATTERN.test(`${a}${middle}${b}`)));
  });

  it('allows periods inside', () => {
    expect(galleryNameProblem('a.b.c')).toBeUndefined();
  });
});
