// Component/unit test setup: a real IndexedDB implementation in memory (fake-indexeddb), so the
// Dexie code under test is the production code, and DOM cleanup between tests.
import 'fake-indexeddb/auto';
import { afterEach } from 'vitest';
import { cleanup } from '@testing-library/react';

afterEach(() => cleanup());
