/** Makes sure the pinned Python format validators are installed before the tests start. */
import { ensureValidators, VALIDATOR_REQUIREMENTS } from '../test/support/validators-install.js';

const python = ensureValidators((line) => console.error(line));
console.error(`format validators ready (${VALIDATOR_REQUIREMENTS.join(', ')}; ${python})`);
