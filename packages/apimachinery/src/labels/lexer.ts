// Tokenizer for label selector strings, with kube's token set and whitespace rules.

export type Token =
  | 'Error'
  | 'EndOfString'
  | 'ClosedPar'
  | 'Comma'
  | 'DoesNotExist'
  | 'DoubleEquals'
  | 'Equals'
  | 'GreaterThan'
  | 'Identifier'
  | 'In'
  | 'LessThan'
  | 'NotEquals'
  | 'NotIn'
  | 'OpenPar';

export interface ScannedItem {
  tok: Token;
  literal: string;
}

const string2token: Record<string, Token> = {
  ')': 'ClosedPar',
  ',': 'Comma',
  '!': 'DoesNotExist',
  '==': 'DoubleEquals',
  '=': 'Equals',
  '>': 'GreaterThan',
  in: 'In',
  '<': 'LessThan',
  '!=': 'NotEquals',
  notin: 'NotIn',
  '(': 'OpenPar',
};

const isWhitespace = (ch: string) => ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n';
const isSpecialSymbol = (ch: string) => '=!(),><'.includes(ch);

/** Splits the whole input up front, ending with an EndOfString item, as kube's parser does. */
export function scan(input: string): ScannedItem[] {
  const items: ScannedItem[] = [];
  let pos = 0;
  for (;;) {
    while (pos < input.length && isWhitespace(input[pos]!)) pos++;
    if (pos >= input.length) {
      items.push({ tok: 'EndOfString', literal: '' });
      return items;
    }
    if (isSpecialSymbol(input[pos]!)) {
      // Longest run of symbols that still forms a known operator.
      let buffer = '';
      let last: ScannedItem | undefined;
      while (pos < input.length && isSpecialSymbol(input[pos]!)) {
        buffer += input[pos];
        const tok = string2token[buffer];
        if (tok) last = { tok, literal: buffer };
        else if (last) break;
        pos++;
      }
      items.push(last ?? { tok: 'Error', literal: `error expected: keyword found '${buffer}'` });
      continue;
    }
    const start = pos;
    while (pos < input.length && !isWhitespace(input[pos]!) && !isSpecialSymbol(input[pos]!)) pos++;
    const word = input.slice(start, pos);
    const tok = string2token[word];
    items.push({ tok: tok ?? 'Identifier', literal: word });
  }
}
