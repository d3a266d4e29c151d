// Links to original files (/api/documents/ID/file). A plain link cannot send the API key,
// so a restricted document's file would answer 404. With a key stored, a click fetches
// the file with the key and shows it in the new tab from memory, at the same #page.
// Only a PDF or a Word file is shown as what it is; anything else (an HTML document could
// run scripts as this page) is shown as plain text.

import { ApiError, fetchFile } from "./api.js";
import { storedKey } from "./api-key.js";

const FILE_LINK = 'a[href^="/api/documents/"]';
const SHOWN_AS_IS = new Set([
  "application/pdf",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
]);
const KEEP_URL_MS = 60_000;

async function openWithKey(link) {
  const tab = window.open("", "_blank");
  if (!tab) return; // a blocked pop-up: nothing to show it in
  tab.opener = null;
  const [path, page] = link.getAttribute("href").split("#");
  try {
    const file = await fetchFile(path);
    const type = SHOWN_AS_IS.has(file.type) ? file.type : "text/plain;charset=utf-8";
    const url = URL.createObjectURL(new Blob([file], { type }));
    setTimeout(() => URL.revokeObjectURL(url), KEEP_URL_MS);
    tab.location.href = page ? `${url}#${page}` : url;
  } catch (error) {
    if (!(error instanceof ApiError)) console.error(error);
    tab.document.title = "Document niet geopend";
    tab.document.body.textContent =
      error instanceof ApiError ? error.message : "Het document kon niet geopend worden.";
  }
}

/** From now on, file links open with the stored key (when there is one). */
export function openFilesWithKey() {
  document.addEventListener("click", (event) => {
    const link = event.target.closest(FILE_LINK);
    if (!link || !storedKey() || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    openWithKey(link);
  });
}
