// The "Sleutel" setting: a dialog to enter, keep or remove the API key the page sends.
// A change is announced and reported to `onChange`, so the page can load again what the
// key decides (the filter options, an open document).

import { storedKey, storeKey } from "./api-key.js";

const button = document.getElementById("key-button");
const state = document.getElementById("key-state");
const dialog = document.getElementById("key-dialog");
const input = document.getElementById("key-input");

function showState() {
  state.textContent = storedKey() ? " (ingesteld)" : " (niet ingesteld)";
}

/** Wires the dialog; `onChange(message)` is called after the key was saved or removed. */
export function setUpKeyDialog(onChange) {
  showState();
  button.addEventListener("click", () => {
    input.value = storedKey();
    dialog.returnValue = "";
    dialog.showModal();
    input.focus();
  });
  dialog.addEventListener("close", () => {
    const action = dialog.returnValue;
    if (action === "save" && input.value.trim()) {
      storeKey(input.value);
      onChange("Sleutel bewaard.");
    } else if (action === "clear" || (action === "save" && storedKey())) {
      storeKey("");
      onChange("Sleutel gewist.");
    }
    input.value = "";
    showState();
    button.focus();
  });
}
