// The document view, at /?document=ID&page=N (or &article=A): where Slack and the OpenAI
// endpoint link a source. It shows the document's metadata and all its passages in reading
// order, marks the cited ones and scrolls to the first, and links the original file there.

import { ApiError, fileUrl, getDocument } from "./api.js";
import { addMeta, dateLabel, locationLabel, statusLabel, typeLabel } from "./format.js";

const view = document.getElementById("document-view");
const title = document.getElementById("document-view-title");
const message = view.querySelector(".document-view-message");
const meta = view.querySelector(".document-view-meta");
const fileLink = view.querySelector(".document-view-file");
const passages = view.querySelector(".document-view-passages");
const passageTemplate = document.getElementById("document-passage-template");

const NOT_FOUND =
  "Dit document bestaat niet of je hebt er geen toegang toe. Heb je een sleutel, vul die dan in via ‘Sleutel’ bovenaan.";

/** The document the address asks for: {id, page, article}, or null. */
export function requestedDocument() {
  const params = new URLSearchParams(location.search);
  const id = params.get("document");
  if (!id) return null;
  return { id, page: Number(params.get("page")) || null, article: params.get("article") || null };
}

function isCited(passage, { page, article }) {
  if (article) return passage.article === article;
  return Boolean(page) && passage.page === page;
}

function passageItem(passage, cited) {
  const item = passageTemplate.content.firstElementChild.cloneNode(true);
  const where = item.querySelector(".passage-where");
  where.textContent = [locationLabel(passage), passage.heading].filter(Boolean).join(" · ");
  where.hidden = !where.textContent;
  item.querySelector(".document-passage-text").textContent = passage.text;
  if (cited) {
    item.classList.add("document-passage-cited");
    item.tabIndex = -1;
    const badge = document.createElement("span");
    badge.className = "cited-badge";
    badge.textContent = "Geciteerd";
    where.hidden = false;
    where.prepend(badge);
  }
  return item;
}

function showMessage(heading, text) {
  title.textContent = heading;
  message.textContent = text;
  message.hidden = false;
  meta.replaceChildren();
  passages.replaceChildren();
  fileLink.hidden = true;
}

function render(doc, wanted) {
  document.title = `${doc.title || doc.source} · Midwest Kennisbank`;
  title.textContent = doc.title || doc.source;
  message.hidden = true;
  meta.replaceChildren();
  addMeta(meta, "Type", typeLabel(doc.doc_type));
  addMeta(meta, "Datum", dateLabel(doc.date));
  addMeta(meta, "Status", statusLabel(doc.status));
  addMeta(meta, "Geciteerd", locationLabel(wanted));
  addMeta(meta, "Bestand", doc.source);
  const items = (doc.passages || []).map((passage) => passageItem(passage, isCited(passage, wanted)));
  passages.replaceChildren(...items);
  fileLink.href = fileUrl(doc.document_id, wanted.page);
  fileLink.textContent = wanted.page
    ? `Open het originele document op pagina ${wanted.page}`
    : "Open het originele document";
  fileLink.setAttribute("aria-label", `${fileLink.textContent} (opent in een nieuw tabblad)`);
  fileLink.hidden = false;
  return items.find((item) => item.classList.contains("document-passage-cited")) || null;
}

/** Shows the view for `wanted` ({id, page, article}) and loads the document into it. */
export async function showDocument(wanted) {
  view.hidden = false;
  view.setAttribute("aria-busy", "true");
  showMessage("Document laden…", "");
  message.hidden = true;
  let doc;
  try {
    doc = await getDocument(wanted.id);
  } catch (error) {
    if (!(error instanceof ApiError)) console.error(error);
    showMessage("Document niet geladen", error instanceof ApiError ? error.message : NOT_FOUND);
    return;
  } finally {
    view.setAttribute("aria-busy", "false");
  }
  if (!doc) {
    showMessage("Document niet gevonden", NOT_FOUND);
    title.focus();
    return;
  }
  const cited = render(doc, wanted);
  // Focus goes to the cited passage (which scrolls it into view), else to the title.
  (cited || title).focus();
}

/** Loads the shown document again (the key changed); nothing when none is shown. */
export function reloadDocument() {
  const wanted = requestedDocument();
  if (wanted && !view.hidden) showDocument(wanted);
}

/** Hides the view (a question was asked): the conversation takes the page. */
export function hideDocument() {
  view.hidden = true;
}
