export * from './check';
export {
  addressFormOf,
  customerAddressForm,
  detectAddressForm,
  findAddressMarkers,
  type AddressMarker,
} from './address';
export { lengthOverflow, measureLength } from './length';
export { MESSAGES, type ToneMessages } from './messages';
export { findPii, type PiiKind, type PiiSpan } from './pii';
export type { Range } from './range';
export { compileSignoffPattern, findSignoff, SignoffPatternError } from './signoff';
export { analyseText, type TextAnalysis } from './words';
