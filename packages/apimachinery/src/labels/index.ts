export { SelectorParseError } from './errors.js';
export { Requirement, type Operator as LabelSelectorOperator, type Labels } from './requirement.js';
export { Selector, parseSelector } from './selector.js';
export { fromLabelSelector } from './from-label-selector.js';
