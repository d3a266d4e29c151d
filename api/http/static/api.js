// Talks to the Kennisbank HTTP API, with the user's API key (if any) and the header that
// records this page's answers and feedback under the channel "web". Every failure becomes
// an ApiError with a Dutch message the page can show as is and the HTTP status (0 when
// there is none); the server's own (English) detail never reaches the user.

import { storedKey } from "./api-key.js";

export class ApiError extends Error {
  constructor(message, status = 0) {
    super(message);
    this.status = status;
  }
}

let signInOffered = false;

/** From now on, a request refused for want of a key asks the user to sign in. */
export function offerSignIn() {
  signInOffered = true;
}

const NETWORK_MESSAGE = "Geen verbinding met de server. Controleer je netwerk en probeer het opnieuw.";
const INTERRUPTED_MESSAGE = "Het antwoord werd onderbroken. Probeer het opnieuw.";

function messageForStatus(status) {
  if (status === 413 || status === 422) return "Deze vraag kan niet verwerkt worden: ze is leeg of te lang.";
  if (status === 401) {
    if (storedKey()) return "Je sleutel is niet (meer) geldig. Pas hem aan via de knop ‘Sleutel’ bovenaan.";
    return signInOffered
      ? "Deze kennisbank vraagt dat je je aanmeldt. Meld je aan via de knop ‘Aanmelden’ bovenaan."
      : "Deze kennisbank vraagt een sleutel. Vul je sleutel in via de knop ‘Sleutel’ bovenaan.";
  }
  if (status === 403) return "Je hebt geen toegang tot deze gegevens.";
  if (status === 404) return "Dit onderdeel werd niet gevonden op de server.";
  if (status === 429) return "Je stelde veel vragen kort na elkaar. Wacht even en probeer het opnieuw.";
  if (status >= 500) return "Er ging iets mis op de server. Probeer het later opnieuw.";
  return `De server weigerde de vraag (fout ${status}).`;
}

function headers(extra) {
  const key = storedKey();
  return { "X-Kennisbank-Client": "web", ...(key ? { "X-API-Key": key } : {}), ...extra };
}

async function request(url, options = {}) {
  let response;
  try {
    response = await fetch(url, { ...options, headers: headers(options.headers) });
  } catch {
    throw new ApiError(NETWORK_MESSAGE);
  }
  if (!response.ok) throw new ApiError(messageForStatus(response.status), response.status);
  return response;
}

function getJson(url) {
  return request(url, { headers: { Accept: "application/json" } });
}

function postJson(url, body) {
  return request(url, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
}

/** The filters the API understands, leaving out the ones the user did not set. */
function filterBody(filters) {
  const body = {};
  if (filters.doc_type) body.doc_type = filters.doc_type;
  if (filters.year) body.year = Number(filters.year);
  return body;
}

/** Yields {event, data} for each Server-Sent Event in the response body, as it arrives. */
async function* readEvents(response) {
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    let chunk;
    try {
      chunk = await reader.read();
    } catch {
      throw new ApiError(INTERRUPTED_MESSAGE);
    }
    if (chunk.done) return;
    buffer += chunk.value;
    // A lone "\r" at the end may be the first half of "\r\n": keep it for the next chunk.
    const pending = buffer.endsWith("\r") ? "\r" : "";
    const text = buffer.slice(0, buffer.length - pending.length).replace(/\r\n?/g, "\n");
    const blocks = text.split("\n\n");
    buffer = blocks.pop() + pending;
    for (const block of blocks) {
      const event = parseEvent(block);
      if (event) yield event;
    }
  }
}

function parseEvent(block) {
  let name = "message";
  const data = [];
  for (const line of block.split("\n")) {
    if (line.startsWith(":")) continue;
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
    if (field === "event") name = value;
    else if (field === "data") data.push(value);
  }
  if (!data.length) return name === "done" ? { event: name, data: null } : null;
  try {
    return { event: name, data: JSON.parse(data.join("\n")) };
  } catch {
    return { event: name, data: null };
  }
}

/**
 * Asks a question and yields the answer as it streams: {type: "delta", text} for each piece,
 * then {type: "final", answer} with the authoritative answer object. Throws ApiError on
 * any failure, including an `error` event or a stream that ends without an answer.
 */
export async function* askStream(question, conversationId, filters) {
  const body = { question };
  if (conversationId) body.conversation_id = conversationId;
  const filter = filterBody(filters);
  if (Object.keys(filter).length) body.filters = filter;
  const response = await postJson("/api/ask/stream", body);
  let answered = false;
  for await (const { event, data } of readEvents(response)) {
    if (event === "delta" && data && typeof data.text === "string") {
      yield { type: "delta", text: data.text };
    } else if (event === "citations" && data) {
      answered = true;
      yield { type: "final", answer: data };
    } else if (event === "error") {
      throw new ApiError("Er ging iets mis bij het beantwoorden van je vraag. Probeer het opnieuw.");
    } else if (event === "done") {
      break;
    }
  }
  if (!answered) throw new ApiError(INTERRUPTED_MESSAGE);
}

/** Documents matching the query, each with its best passages. */
export async function searchDocuments(query, filters) {
  const params = new URLSearchParams({ q: query, top_k: "10", group_by: "document" });
  if (filters.doc_type) params.set("type", filters.doc_type);
  if (filters.year) params.set("year", filters.year);
  const response = await getJson(`/api/search?${params}`);
  return (await response.json()).documents || [];
}

/** Documents that dealt with the same thing as `text` (a pasted paragraph), best first. */
export async function similarDocuments(text, filters) {
  const body = { text, top_k: 10 };
  const filter = filterBody(filters);
  if (Object.keys(filter).length) body.filters = filter;
  const response = await postJson("/api/search/similar", body);
  return (await response.json()).documents || [];
}

export async function listDocuments() {
  const response = await getJson("/api/documents");
  return (await response.json()).documents || [];
}

/** One document with its passages; null when it does not exist or is not for this user. */
export async function getDocument(documentId) {
  try {
    const response = await getJson(`/api/documents/${encodeURIComponent(documentId)}`);
    return await response.json();
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  }
}

/** The original file at `path` (/api/documents/ID/file), fetched with the key. */
export async function fetchFile(path) {
  const response = await request(path);
  return response.blob();
}

export async function sendFeedback(answerId, rating, comment) {
  const body = { answer_id: answerId, rating };
  if (comment) body.comment = comment;
  await postJson("/api/feedback", body);
}

/** Where the original file opens, at the passage's page for a PDF. */
export function fileUrl(documentId, page) {
  const url = `/api/documents/${encodeURIComponent(documentId)}/file`;
  return page ? `${url}#page=${page}` : url;
}

/** The chat page's view of a document, with the cited page or article marked. */
export function documentViewUrl(documentId, page, article) {
  const params = new URLSearchParams({ document: documentId });
  if (page) params.set("page", page);
  if (article) params.set("article", article);
  return `/?${params}`;
}
