// The chat page: the question box, the conversation, filters and the three modes (ask a
// question, only search, or find documents like a pasted text). Rendering lives in
// answer-view.js, search-view.js and document-view.js; the key setting in key-dialog.js.

import { ApiError, askStream, listDocuments, searchDocuments, similarDocuments } from "./api.js";
import { setUpAccount } from "./account.js";
import { AnswerView } from "./answer-view.js";
import { hideDocument, reloadDocument, requestedDocument, showDocument } from "./document-view.js";
import { openFilesWithKey } from "./file-links.js";
import { metaLine, typeLabel } from "./format.js";
import { setUpKeyDialog } from "./key-dialog.js";
import { showSearchResults } from "./search-view.js";

const form = document.getElementById("composer");
const question = document.getElementById("question");
const hint = document.getElementById("question-hint");
const sendButton = document.getElementById("send");
const typeSelect = document.getElementById("filter-type");
const yearSelect = document.getElementById("filter-year");
const conversation = document.getElementById("conversation");
const welcome = document.getElementById("welcome");
const announcer = document.getElementById("announcer");
const turnTemplate = document.getElementById("turn-template");

const MODES = {
  ask: { button: "Vraag", placeholder: "Stel je vraag" },
  search: { button: "Zoek", placeholder: "Zoek in de documenten", label: "Alleen zoeken" },
  similar: {
    button: "Zoek",
    placeholder: "Plak een tekst om documenten over hetzelfde te vinden",
    label: "Vergelijkbare documenten",
  },
};
const MAX_BOX_HEIGHT = 200;
const defaultHint = hint.textContent;

let conversationId = null;
// Counts "Nieuw gesprek" clicks, so an answer still streaming in from the previous
// conversation cannot hand its conversation_id to the new one.
let conversationNumber = 0;
let busy = false;

function currentMode() {
  return form.elements.mode.value;
}

function currentFilters() {
  return { doc_type: typeSelect.value || null, year: yearSelect.value || null };
}

function showMode() {
  const mode = MODES[currentMode()];
  sendButton.textContent = mode.button;
  question.placeholder = mode.placeholder;
}

function fitQuestionBox() {
  question.style.height = "";
  // Empty, Chromium would size the box to the (long) placeholder: keep one line then.
  if (question.value) question.style.height = `${Math.min(question.scrollHeight, MAX_BOX_HEIGHT)}px`;
}

function setBusy(value) {
  busy = value;
  sendButton.setAttribute("aria-disabled", String(value));
}

/** Adds the user's turn to the conversation and returns the element its reply goes in. */
function addTurn(text, filters, mode) {
  welcome.hidden = true;
  hideDocument();
  const turn = turnTemplate.content.firstElementChild.cloneNode(true);
  turn.querySelector(".question-text").textContent = text;
  const context = turn.querySelector(".question-filters");
  context.textContent = metaLine(
    MODES[mode].label,
    filters.doc_type ? `Type: ${typeLabel(filters.doc_type)}` : "",
    filters.year ? `Jaar: ${filters.year}` : "",
  );
  context.hidden = !context.textContent;
  conversation.append(turn);
  turn.scrollIntoView({ block: "start", behavior: "smooth" });
  return turn.querySelector(".reply");
}

function showError(reply, message) {
  const error = document.createElement("p");
  error.className = "error";
  error.setAttribute("role", "alert");
  error.textContent = message;
  reply.replaceChildren(error);
}

async function streamAnswer(reply, text, filters) {
  const view = new AnswerView(reply);
  const askedIn = conversationNumber;
  for await (const part of askStream(text, conversationId, filters)) {
    if (part.type === "delta") {
      view.addDelta(part.text);
    } else {
      if (askedIn === conversationNumber) conversationId = part.answer.conversation_id || conversationId;
      view.finish(part.answer);
    }
  }
}

async function submitQuestion() {
  const text = question.value.trim();
  if (!text) {
    question.focus();
    return;
  }
  if (busy) return;
  const filters = currentFilters();
  const mode = currentMode();
  setBusy(true);
  question.value = "";
  fitQuestionBox();
  const reply = addTurn(text, filters, mode);
  try {
    if (mode !== "ask") {
      const find = mode === "search" ? searchDocuments : similarDocuments;
      showSearchResults(reply, await find(text, filters), Boolean(filters.doc_type || filters.year));
    } else {
      await streamAnswer(reply, text, filters);
    }
  } catch (error) {
    if (!(error instanceof ApiError)) console.error(error);
    const message =
      error instanceof ApiError ? error.message : "Er ging iets mis op deze pagina. Herlaad de pagina en probeer opnieuw.";
    showError(reply, message);
    // Keep the question so the user can send it again without retyping.
    if (!question.value) question.value = text;
    fitQuestionBox();
  } finally {
    setBusy(false);
  }
}

function startNewConversation() {
  conversationNumber += 1;
  conversationId = null;
  conversation.replaceChildren();
  welcome.hidden = false;
  hideDocument();
  announcer.textContent = "Nieuw gesprek gestart.";
  question.focus();
}

async function loadFilterOptions() {
  let documents;
  try {
    documents = await listDocuments();
  } catch (error) {
    hint.textContent = `${hint.textContent} De filters zijn nu niet beschikbaar: ${error.message}`;
    return;
  }
  const types = [...new Set(documents.map((doc) => doc.doc_type).filter(Boolean))].sort();
  const years = [...new Set(documents.map((doc) => (doc.date || "").slice(0, 4)))]
    .filter((year) => /^\d{4}$/.test(year))
    .sort()
    .reverse();
  typeSelect.replaceChildren(typeSelect.options[0], ...types.map((type) => new Option(typeLabel(type), type)));
  yearSelect.replaceChildren(yearSelect.options[0], ...years.map((year) => new Option(year, year)));
}

/** After the key changed: what the page shows depends on it, so load that again. */
function keyChanged(message) {
  announcer.textContent = message;
  hint.textContent = defaultHint;
  loadFilterOptions();
  reloadDocument();
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  submitQuestion();
});

question.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    form.requestSubmit();
  }
});
question.addEventListener("input", fitQuestionBox);

for (const radio of form.elements.mode) radio.addEventListener("change", showMode);

for (const suggestion of document.querySelectorAll(".suggestion")) {
  suggestion.addEventListener("click", () => {
    form.elements.mode.value = "ask";
    showMode();
    question.value = suggestion.textContent;
    question.focus();
    form.requestSubmit();
  });
}

document.getElementById("new-conversation").addEventListener("click", startNewConversation);

setUpKeyDialog(keyChanged);
setUpAccount();
openFilesWithKey();
showMode();
loadFilterOptions();
const linked = requestedDocument();
if (linked) {
  welcome.hidden = true;
  showDocument(linked);
}
