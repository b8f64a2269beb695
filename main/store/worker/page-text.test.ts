import { describe, expect, it } from 'vitest';
import { documentTexts } from './page-text';

describe('the documents of a page, as text', () => {
  it('are each object of the documents array as the server wrote it', () => {
    const documents = [
      { id: 'a', name: 'brace } and bracket ] in a string', nested: { list: [1, { deep: '"quoted"' }] } },
      { id: 'b', escapes: 'back\\slash\\', quote: '\\"', unicode: 'Đurić \u{1f600}', control: '\n\t' },
      { id: 'c', empty: {}, emptyList: [], documents: ['not', 'these'] },
    ];
    const page = JSON.stringify({ documents, checkpoint: { sequence: 7 } });
    const texts = documentTexts(page);
    expect(texts).toEqual(documents.map((document) => JSON.stringify(document)));
    expect(texts!.map((text) => JSON.parse(text) as unknown)).toEqual(documents);
  });

  it('follow the key wherever it stands, with whitespace as any JSON may have it', () => {
    const page = `{ "checkpoint" : { "documents": [ {"x": 1} ] },\n "documents" : [\n {"id": "one"} ,\n {"id": "two"}\n ] }`;
    expect(documentTexts(page)).toEqual(['{"id": "one"}', '{"id": "two"}']);
    expect(documentTexts('{"documents":[]}')).toEqual([]);
  });

  it('are refused when the page has another shape', () => {
    expect(documentTexts('{"records":[{"id":"a"}]}')).toBeNull();
    expect(documentTexts('{"documents":[1, 2]}')).toBeNull();
    expect(documentTexts('{"documents":[{"id":"unterminated}]}')).toBeNull();
    expect(documentTexts('[{"documents":[{"id":"a"}]}]')).toBeNull();
  });
});
