// Sign-in with the organisation account, when the server offers it: the top bar says who
// is signed in, with "Afmelden", or offers "Aanmelden". Signing out ends the session here
// and then at the provider (which sends the browser back to this page).

import { offerSignIn } from "./api.js";

const account = document.getElementById("account");
const accountName = document.getElementById("account-name");
const signIn = document.getElementById("sign-in");
const signOut = document.getElementById("sign-out");

export async function setUpAccount() {
  let me;
  try {
    const response = await fetch("/auth/me", { headers: { Accept: "application/json" } });
    if (!response.ok) return;
    me = await response.json();
  } catch {
    return; // without the server's answer the page works as without sign-in
  }
  if (!me.sign_in) return;
  offerSignIn();
  account.hidden = false;
  if (!me.signed_in) {
    signIn.hidden = false;
    return;
  }
  accountName.textContent = `Aangemeld als ${me.name}`;
  signOut.hidden = false;
  signOut.addEventListener("click", async () => {
    let next = "/";
    try {
      const response = await fetch("/auth/logout", { method: "POST" });
      if (response.ok) next = (await response.json()).redirect;
    } catch {
      // Signed out here or not, the page is loaded again and shows which.
    }
    window.location.assign(next);
  });
}
