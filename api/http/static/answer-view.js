// One answer in the conversation: text that grows while it streams, `[n]` markers turned
// into source chips once the citations are known, the warnings on how it was made, the
// numbered sources, and thumbs.
// Everything from the server goes in through textContent: the only elements made from
// answer text are the chips, so no markup, image or link in an answer can reach the page.

import { sendFeedback } from "./api.js";
import { dateLabel, locationLabel, metaLine, typeLabel } from "./format.js";
import { openSource } from "./source-dialog.js";

const MARKER = /\[(\d+(?:\s*,\s*\d+)*)\]/g;
const answerTemplate = document.getElementById("answer-template");
const sourceItemTemplate = document.getElementById("source-item-template");

function citationLabel(citation) {
  return metaLine(typeLabel(citation.doc_type), dateLabel(citation.date), locationLabel(citation));
}

function chipButton(citation) {
  const chip = document.createElement("button");
  chip.type = "button";
  chip.className = "chip";
  chip.textContent = String(citation.n);
  chip.setAttribute("aria-label", `Bron ${citation.n}: ${metaLine(citation.title, citationLabel(citation))}`);
  chip.addEventListener("click", () => openSource(citation, chip));
  return chip;
}

function pendingChip(n) {
  const chip = document.createElement("span");
  chip.className = "chip chip-pending";
  chip.textContent = String(n);
  return chip;
}

/**
 * Fills `target` with `text`, each `[n]` marker as a chip. While streaming (`citations`
 * null) the chips are placeholders; afterwards a marker without a citation is dropped.
 */
function renderText(target, text, citations) {
  const nodes = [];
  let last = 0;
  for (const match of text.matchAll(MARKER)) {
    // The cited word and its chips go in one unbreakable group: a chip never starts a line.
    const before = text.slice(last, match.index);
    const word = /\S*\s*$/.exec(before)[0];
    nodes.push(document.createTextNode(before.slice(0, before.length - word.length)));
    const group = document.createElement("span");
    group.className = "cited";
    group.append(word);
    for (const n of match[1].split(",").map((number) => Number(number.trim()))) {
      if (!citations) group.append(pendingChip(n));
      else if (citations.has(n)) group.append(chipButton(citations.get(n)));
    }
    nodes.push(group);
    last = match.index + match[0].length;
  }
  nodes.push(document.createTextNode(text.slice(last)));
  target.replaceChildren(...nodes);
}

function sourceItem(citation) {
  const item = sourceItemTemplate.content.firstElementChild.cloneNode(true);
  item.querySelector(".chip-number").textContent = String(citation.n);
  item.querySelector(".source-item-title").textContent = citation.title || citation.source;
  item.querySelector(".source-item-meta").textContent = citationLabel(citation);
  const button = item.querySelector(".source-button");
  button.addEventListener("click", () => openSource(citation, button));
  return item;
}

export class AnswerView {
  constructor(reply) {
    this.element = answerTemplate.content.firstElementChild.cloneNode(true);
    this.text = this.element.querySelector(".answer-text");
    this.streamed = "";
    reply.replaceChildren(this.element);
  }

  addDelta(piece) {
    this.streamed += piece;
    renderText(this.text, this.streamed, null);
  }

  /** Shows the final answer object; its text replaces whatever was streamed. */
  finish(answer) {
    const citations = new Map((answer.citations || []).map((citation) => [citation.n, citation]));
    renderText(this.text, answer.answer || "", citations);
    if (answer.confidence !== "answered") {
      // "Mogelijk antwoord: controleer de bron" or "Niet in de documenten": how sure the
      // answer is, in the server's words, above the text.
      this.element.classList.add(answer.abstained ? "answer-abstained" : "answer-possible");
      const badge = this.element.querySelector(".answer-badge");
      badge.textContent = answer.confidence_label;
      badge.hidden = false;
    }
    this.showWarnings(answer.warnings || []);
    if (citations.size) {
      const sources = this.element.querySelector(".sources");
      sources.querySelector(".sources-title").textContent = answer.abstained
        ? "Documenten die het dichtst in de buurt komen"
        : "Bronnen";
      sources.querySelector(".source-list").replaceChildren(...[...citations.values()].map(sourceItem));
      sources.hidden = false;
    }
    if (answer.answer_id) this.enableFeedback(answer.answer_id);
    this.element.setAttribute("aria-busy", "false");
  }

  /** "Let op" lines under the answer: a sentence left out for lack of a source, the
   * language model unreachable. Quiet, but there: the user should know. */
  showWarnings(warnings) {
    if (!warnings.length) return;
    const notes = this.element.querySelector(".answer-notes");
    notes.querySelector(".answer-notes-list").replaceChildren(
      ...warnings.map((warning) => {
        const item = document.createElement("li");
        item.textContent = warning;
        return item;
      }),
    );
    notes.hidden = false;
  }

  enableFeedback(answerId) {
    const feedback = this.element.querySelector(".feedback");
    const thumbs = feedback.querySelectorAll(".thumb");
    const status = feedback.querySelector(".feedback-status");
    const commentBox = feedback.querySelector(".feedback-comment");
    const comment = commentBox.querySelector("textarea");
    let rating = null;

    const submit = async (chosen, text) => {
      status.textContent = "";
      try {
        await sendFeedback(answerId, chosen, text);
        return true;
      } catch (error) {
        status.textContent = error.message;
        return false;
      }
    };

    for (const thumb of thumbs) {
      thumb.addEventListener("click", async () => {
        const chosen = thumb.dataset.rating;
        thumbs.forEach((other) => other.setAttribute("aria-pressed", String(other === thumb)));
        if (!(await submit(chosen))) {
          thumbs.forEach((other) => other.setAttribute("aria-pressed", String(other.dataset.rating === rating)));
          return;
        }
        rating = chosen;
        status.textContent = "Bedankt voor je feedback!";
        commentBox.hidden = false;
      });
    }
    commentBox.querySelector(".feedback-comment-send").addEventListener("click", async () => {
      const text = comment.value.trim();
      if (!text) {
        comment.focus();
        return;
      }
      if (await submit(rating, text)) {
        commentBox.hidden = true;
        status.textContent = "Bedankt, je opmerking is doorgegeven.";
        feedback.querySelector(`.thumb[data-rating="${rating}"]`).focus();
      }
    });
    feedback.hidden = false;
  }
}
