import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';
import { TextDecoder, TextEncoder } from 'node:util';

// jsdom lacks the encoding API that react-router reads at import time.
Object.assign(globalThis, { TextEncoder, TextDecoder });

afterEach(() => {
  window.localStorage.clear();
});

// findBy*/waitFor wait up to 5 s, not 1 s: on a busy 2-core CI machine the first render of
// the whole app (auth restore, then the screen's queries) can take longer than a second.
configure({ asyncUtilTimeout: 5_000 });
