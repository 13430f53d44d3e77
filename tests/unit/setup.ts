// Component/unit test setup: a real IndexedDB implementation in memory (fake-indexeddb), so the
// Dexie code under test is the production code, and DOM cleanup between tests.
import 'fake-indexeddb/auto';
import { afterEach } from 'vitest';
import { cleanup, configure } from '@testing-library/react';

// findBy*/waitFor wait up to 5 s: IndexedDB round trips on a loaded 2-core CI machine can take
// longer than the library's 1 s default. This is a ceiling for waiting, not a timing assertion.
configure({ asyncUtilTimeout: 5000 });

afterEach(() => cleanup());
