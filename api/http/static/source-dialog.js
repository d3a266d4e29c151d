// The dialog that shows one passage: which document, where in it, the text, a link to
// the original file at that page and one to the whole document in the document view. A native modal <dialog> keeps keyboard focus inside
// and closes on Escape; focus goes back to whatever opened it.

import { documentViewUrl, fileUrl } from "./api.js";
import { addMeta, dateLabel, locationLabel, typeLabel } from "./format.js";

const dialog = document.getElementById("source-dialog");
let opener = null;

dialog.addEventListener("close", () => {
  if (opener && opener.isConnected) opener.focus();
  opener = null;
});

// A click on the backdrop (outside the dialog box) closes it too.
dialog.addEventListener("click", (event) => {
  if (event.target === dialog) dialog.close();
});

/**
 * Shows `passage` ({document_id, title, doc_type, date, page, article, heading, source,
 * text}) and returns focus to `openedBy` when the dialog closes.
 */
export function openSource(passage, openedBy) {
  opener = openedBy;
  dialog.querySelector(".source-title").textContent = passage.title || passage.source || "Bron";
  const meta = dialog.querySelector(".source-meta");
  meta.replaceChildren();
  addMeta(meta, "Type", typeLabel(passage.doc_type));
  addMeta(meta, "Datum", dateLabel(passage.date));
  addMeta(meta, "Vindplaats", locationLabel(passage));
  addMeta(meta, "Onderdeel", passage.heading);
  addMeta(meta, "Bestand", passage.source);
  dialog.querySelector(".source-text").textContent = passage.text || "";
  const link = dialog.querySelector(".source-file-link");
  link.href = fileUrl(passage.document_id, passage.page);
  link.textContent = passage.page
    ? `Open het originele document op pagina ${passage.page}`
    : "Open het originele document";
  link.setAttribute("aria-label", `${link.textContent} (opent in een nieuw tabblad)`);
  const view = dialog.querySelector(".source-view-link");
  view.href = documentViewUrl(passage.document_id, passage.page, passage.article);
  view.setAttribute("aria-label", `${view.textContent} (opent in een nieuw tabblad)`);
  dialog.showModal();
}
