export { FieldSelectorParseError } from './errors.js';
export { escapeValue, unescapeValue } from './escape.js';
export { FieldSelector, parseFieldSelector, type FieldSet, type FieldTerm } from './selector.js';
export { fieldAttributes, type SelectableResource } from './attributes.js';
export {
  validateFieldSelector,
  supportedFieldLabels,
  type FieldLabelOptions,
} from './field-labels.js';
