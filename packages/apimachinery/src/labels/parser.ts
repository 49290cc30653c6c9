// Recursive-descent parser for label selector strings, mirroring kube's grammar, error texts
// and its quirks (`in`/`notin` are identifiers where values are expected, `()` means {""}).
import { isQualifiedName } from '../validation/names.js';
import { invalid } from '../errors/index.js';
import { SelectorParseError } from './errors.js';
import { type ScannedItem, type Token, scan } from './lexer.js';
import { type Operator, Requirement } from './requirement.js';

type Context = 'KeyAndOperator' | 'Values';

const binaryOperators = 'in, notin, =, ==, !=, gt, lt';

class Fail extends Error {}

class Parser {
  private position = 0;
  constructor(private readonly items: ScannedItem[]) {}

  lookahead(ctx: Context): ScannedItem {
    return this.adjust(this.items[this.position]!, ctx);
  }

  consume(ctx: Context): ScannedItem {
    const item = this.items[this.position]!;
    // Never run past EndOfString, which Go would do only after reporting an error anyway.
    if (this.position < this.items.length - 1) this.position++;
    return this.adjust(item, ctx);
  }

  private adjust(item: ScannedItem, ctx: Context): ScannedItem {
    if (ctx === 'Values' && (item.tok === 'In' || item.tok === 'NotIn'))
      return { tok: 'Identifier', literal: item.literal };
    return item;
  }

  parse(): Requirement[] {
    const reqs: Requirement[] = [];
    for (;;) {
      const { tok, literal } = this.lookahead('Values');
      switch (tok) {
        case 'Identifier':
        case 'DoesNotExist': {
          try {
            reqs.push(this.parseRequirement());
          } catch (err) {
            if (err instanceof Fail || err instanceof SelectorParseError) {
              throw new SelectorParseError(`unable to parse requirement: ${err.message}`);
            }
            throw err;
          }
          const next = this.consume('Values');
          if (next.tok === 'EndOfString') return reqs;
          if (next.tok === 'Comma') {
            const after = this.lookahead('Values');
            if (after.tok !== 'Identifier' && after.tok !== 'DoesNotExist') {
              throw new SelectorParseError(
                `found '${after.literal}', expected: identifier after ','`,
              );
            }
            break;
          }
          throw new SelectorParseError(`found '${next.literal}', expected: ',' or 'end of string'`);
        }
        case 'EndOfString':
          return reqs;
        default:
          throw new SelectorParseError(
            `found '${literal}', expected: !, identifier, or 'end of string'`,
          );
      }
    }
  }

  private parseRequirement(): Requirement {
    const [key, inferred] = this.parseKeyAndInferOperator();
    if (inferred === 'exists' || inferred === '!') return Requirement.create(key, inferred, []);
    const operator = this.parseOperator();
    const values =
      operator === 'in' || operator === 'notin' ? this.parseValues() : this.parseExactValue();
    return Requirement.create(key, operator, [...values]);
  }

  private parseKeyAndInferOperator(): [string, Operator | undefined] {
    let operator: Operator | undefined;
    let item = this.consume('Values');
    if (item.tok === 'DoesNotExist') {
      operator = '!';
      item = this.consume('Values');
    }
    if (item.tok !== 'Identifier') throw new Fail(`found '${item.literal}', expected: identifier`);
    const keyErrs = isQualifiedName(item.literal);
    if (keyErrs.length)
      throw new Fail(invalid('<nil>', item.literal, keyErrs.join('; ')).toString());
    const next = this.lookahead('Values').tok;
    if ((next === 'EndOfString' || next === 'Comma') && operator !== '!') operator = 'exists';
    return [item.literal, operator];
  }

  private parseOperator(): Operator {
    const { tok, literal } = this.consume('KeyAndOperator');
    const op = operatorTokens[tok];
    if (!op) throw new Fail(`found '${literal}', expected: ${binaryOperators}`);
    return op;
  }

  private parseValues(): Set<string> {
    const open = this.consume('Values');
    if (open.tok !== 'OpenPar') throw new Fail(`found '${open.literal}' expected: '('`);
    const { tok, literal } = this.lookahead('Values');
    switch (tok) {
      case 'Identifier':
      case 'Comma': {
        const set = this.parseIdentifiersList();
        if (this.consume('Values').tok !== 'ClosedPar')
          throw new Fail(`found '${literal}', expected: ')'`);
        return set;
      }
      case 'ClosedPar':
        this.consume('Values');
        return new Set(['']);
      default:
        throw new Fail(`found '${literal}', expected: ',', ')' or identifier`);
    }
  }

  private parseIdentifiersList(): Set<string> {
    const set = new Set<string>();
    for (;;) {
      const { tok, literal } = this.consume('Values');
      if (tok === 'Identifier') {
        set.add(literal);
        const next = this.lookahead('Values');
        if (next.tok === 'Comma') continue;
        if (next.tok === 'ClosedPar') return set;
        throw new Fail(`found '${next.literal}', expected: ',' or ')'`);
      }
      if (tok === 'Comma') {
        // "(,a)", "(a,)" and "(a,,b)" all carry an empty value.
        if (set.size === 0) set.add('');
        const next = this.lookahead('Values').tok;
        if (next === 'ClosedPar') {
          set.add('');
          return set;
        }
        if (next === 'Comma') {
          this.consume('Values');
          set.add('');
        }
        continue;
      }
      throw new Fail(`found '${literal}', expected: ',', or identifier`);
    }
  }

  private parseExactValue(): Set<string> {
    const next = this.lookahead('Values').tok;
    if (next === 'EndOfString' || next === 'Comma') return new Set(['']);
    const { tok, literal } = this.consume('Values');
    if (tok === 'Identifier') return new Set([literal]);
    throw new Fail(`found '${literal}', expected: identifier`);
  }
}

const operatorTokens: Partial<Record<Token, Operator>> = {
  In: 'in',
  Equals: '=',
  DoubleEquals: '==',
  GreaterThan: 'gt',
  LessThan: 'lt',
  NotIn: 'notin',
  NotEquals: '!=',
};

/** Parses a selector string into requirements sorted by key (stable, as kube's sort leaves ties). */
export function parseRequirements(selector: string): Requirement[] {
  const reqs = new Parser(scan(selector)).parse();
  return reqs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
