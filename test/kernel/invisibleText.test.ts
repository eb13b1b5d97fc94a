import { stripInvisible, stripInvisibleDeep } from '../../src/kernel';

describe('invisible characters', () => {
  it('strips zero-width characters and bidi embeddings, overrides and isolates, and nothing else', () => {
    const invisible = '\u200B\u200C\u200D\u2060\uFEFF\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069';
    expect(stripInvisible(`a${invisible}b`)).toBe('ab');
    // Visible neighbours stay: RTL scripts, emoji joined by ZWJ lose only the joiner.
    expect(stripInvisible('مختبر עברית é ﬁ')).toBe('مختبر עברית é ﬁ');
  });

  it('walks card data without turning a "__proto__" key into a prototype', () => {
    const data = JSON.parse('{"__proto__": {"polluted": "\\u200Byes"}, "list": ["a\\u202Eb", 1, true, null], "n\\u200Bame": {"deep": "x\\u2066"}}') as Record<string, unknown>;
    const clean = stripInvisibleDeep(data);
    expect(Object.getPrototypeOf(clean)).toBe(Object.prototype);
    expect((clean as { polluted?: unknown }).polluted).toBeUndefined();
    expect(Object.hasOwn(clean, '__proto__')).toBe(true);
    expect(JSON.stringify(clean)).toBe('{"__proto__":{"polluted":"yes"},"list":["ab",1,true,null],"name":{"deep":"x"}}');
  });
});
