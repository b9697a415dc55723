/** Makes sure the pinned moto is available before the integration tests start (installs it if not). */
import { ensureMoto, MOTO_VERSION } from '../test/support/moto-install.js';

const python = ensureMoto((line) => console.error(line));
console.error(`moto ${MOTO_VERSION} ready (${python})`);
