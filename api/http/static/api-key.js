// The API key the user entered under "Sleutel", kept in this browser's localStorage. Where
// storage is blocked (private mode, strict settings) the key lasts until the page closes.

const STORAGE_KEY = "kennisbank.apiKey";
let memoryKey = "";

export function storedKey() {
  try {
    return localStorage.getItem(STORAGE_KEY) || "";
  } catch {
    return memoryKey;
  }
}

/** Keeps `key` (trimmed); an empty key removes it. */
export function storeKey(key) {
  memoryKey = key.trim();
  try {
    if (memoryKey) localStorage.setItem(STORAGE_KEY, memoryKey);
    else localStorage.removeItem(STORAGE_KEY);
  } catch {
    // Storage refused: the key stays in memory only.
  }
}
