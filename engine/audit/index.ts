export { canonicalJson } from './canonical.js';
export { chain, hashEvent, GENESIS, type Actor, type HistoryEvent } from './chain.js';
export { verifyHistory, stateAt, toEngineEvent, fromEngineEvent, type VerifyResult } from './verify.js';
