// "Alleen zoeken" and "Vergelijkbare documenten": the matching documents, best first, each
// with its best passages. A passage opens in the same dialog as an answer's source.

import { fileUrl } from "./api.js";
import { dateLabel, locationLabel, metaLine, statusLabel, typeLabel } from "./format.js";
import { openSource } from "./source-dialog.js";

const PASSAGES_PER_DOCUMENT = 3;
const documentTemplate = document.getElementById("document-template");

function passageButton(doc, passage) {
  const { document_id, title, source, doc_type, date } = doc;
  const full = { ...passage, document_id, title, source, doc_type, date };
  const button = document.createElement("button");
  button.type = "button";
  button.className = "passage";
  const where = document.createElement("span");
  where.className = "passage-where";
  // The heading path often starts with the document title, already shown: keep its last part.
  const section = (passage.heading || "").split(" > ").pop();
  where.textContent = metaLine(locationLabel(passage), section === doc.title ? "" : section);
  where.hidden = !where.textContent;
  const text = document.createElement("span");
  text.className = "passage-text";
  text.textContent = passage.text;
  button.append(where, text);
  button.addEventListener("click", () => openSource(full, button));
  const item = document.createElement("li");
  item.append(button);
  return item;
}

function documentCard(doc) {
  const card = documentTemplate.content.firstElementChild.cloneNode(true);
  card.querySelector(".document-title").textContent = doc.title || doc.source;
  card.querySelector(".document-meta").textContent = metaLine(
    typeLabel(doc.doc_type),
    dateLabel(doc.date),
    doc.status === "geldend" ? "" : statusLabel(doc.status),
  );
  if (doc.status === "vervangen") card.classList.add("document-replaced");
  const passages = (doc.passages || []).slice(0, PASSAGES_PER_DOCUMENT);
  card.querySelector(".passage-list").replaceChildren(...passages.map((passage) => passageButton(doc, passage)));
  const link = card.querySelector(".document-link");
  link.href = fileUrl(doc.document_id, null);
  link.setAttribute("aria-label", `Open ${doc.title || "het document"} (opent in een nieuw tabblad)`);
  return card;
}

/** Shows `documents` in `reply`; says so plainly when there are none. */
export function showSearchResults(reply, documents, filtered) {
  const section = document.createElement("section");
  section.className = "search-results";
  const heading = document.createElement("h3");
  heading.className = "search-results-title";
  if (!documents.length) {
    heading.textContent = filtered
      ? "Geen documenten gevonden met deze filters. Probeer ruimer te zoeken."
      : "Geen documenten gevonden.";
    section.append(heading);
  } else {
    heading.textContent = documents.length === 1 ? "1 document gevonden" : `${documents.length} documenten gevonden`;
    const list = document.createElement("ol");
    list.className = "document-list";
    list.append(...documents.map(documentCard));
    section.append(heading, list);
  }
  reply.replaceChildren(section);
}
