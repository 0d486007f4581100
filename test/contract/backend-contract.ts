/** The conformance suite lives in the package (`edgewise/conformance`, src/conformance.ts); the project's tests import it from here. */
export { backendContract, type ContractHarness } from '../../src/conformance.js';
