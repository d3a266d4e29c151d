// How document metadata reads in Dutch: types, dates, statuses, page or article, and the
// <dl> rows that show it.

const STATUS_LABELS = { geldend: "Geldend", vervangen: "Vervangen door een nieuwere versie", ontwerp: "Ontwerp" };

const DATE_FORMAT = new Intl.DateTimeFormat("nl-BE", { day: "numeric", month: "long", year: "numeric" });
const MONTH_FORMAT = new Intl.DateTimeFormat("nl-BE", { month: "long", year: "numeric" });

/** "strategisch-plan" → "Strategisch plan". */
export function typeLabel(docType) {
  if (!docType) return "";
  const words = docType.replace(/[-_]+/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** "2021-06-21" → "21 juni 2021"; "2021-06" → "juni 2021"; anything else as given. */
export function dateLabel(date) {
  if (!date) return "";
  const full = /^(\d{4})-(\d{2})-(\d{2})/.exec(date);
  if (full) return DATE_FORMAT.format(new Date(Date.UTC(full[1], full[2] - 1, full[3], 12)));
  const month = /^(\d{4})-(\d{2})$/.exec(date);
  if (month) return MONTH_FORMAT.format(new Date(Date.UTC(month[1], month[2] - 1, 15)));
  return date;
}

/** "p. 3", "art. 5" or "art. 5, p. 3": where in the document the passage is. */
export function locationLabel(passage) {
  const parts = [];
  if (passage.article) parts.push(`art. ${passage.article}`);
  if (passage.page) parts.push(`p. ${passage.page}`);
  return parts.join(", ");
}

/** One line of metadata, e.g. "Afsprakennota · 15 januari 2023 · art. 3, p. 1". */
export function metaLine(...parts) {
  return parts.filter(Boolean).join(" · ");
}

/** "vervangen" → "Vervangen door een nieuwere versie"; an unknown status as given. */
export function statusLabel(status) {
  return STATUS_LABELS[status] || status || "";
}

/** Appends "term: value" to a <dl> as a <dt>/<dd> pair; an empty value adds nothing. */
export function addMeta(list, term, value) {
  if (!value) return;
  const dt = document.createElement("dt");
  dt.textContent = term;
  const dd = document.createElement("dd");
  dd.textContent = value;
  list.append(dt, dd);
}
