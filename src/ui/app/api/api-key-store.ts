/** The API key the UI sends (`Authorization: Bearer`), kept in localStorage for this origin. */
const STORAGE_KEY = 'weft.apiKey';

const listeners = new Set<() => void>();

export function getApiKey(): string | null {
  try {
    return window.localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

/** Stores the key (null removes it) and tells subscribers. */
export function setApiKey(key: string | null): void {
  try {
    if (key === null || key.trim() === '') window.localStorage.removeItem(STORAGE_KEY);
    else window.localStorage.setItem(STORAGE_KEY, key.trim());
  } finally {
    for (const listener of listeners) listener();
  }
}

export function subscribeApiKey(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
