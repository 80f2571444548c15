// Copy buttons of the dashboard: <button data-copy="ID" hidden> copies the text of the
// element with that id. Shown only where this script runs; a file, not inline, for the CSP.
"use strict";
for (const button of document.querySelectorAll("button[data-copy]")) {
  button.hidden = false;
  button.addEventListener("click", async () => {
    const source = document.getElementById(button.dataset.copy);
    const status = document.getElementById(button.dataset.status);
    try {
      await navigator.clipboard.writeText(source.textContent);
      status.textContent = button.dataset.copied;
    } catch {
      // No clipboard access (an insecure page, a refusal): select it for Ctrl+C instead.
      window.getSelection().selectAllChildren(source);
      status.textContent = button.dataset.selected;
    }
  });
}
