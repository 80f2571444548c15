// The site's tabs on a phone: the groups fold behind a button that names the current tab,
// so each page starts with the same short header. Without this script every tab is shown.
"use strict";
(function () {
  const nav = document.querySelector(".site-nav");
  const button = nav && nav.querySelector(".menu-toggle");
  if (!button) return;
  nav.classList.add("foldable");
  button.hidden = false;
  button.addEventListener("click", () => {
    button.setAttribute("aria-expanded", String(button.getAttribute("aria-expanded") !== "true"));
  });
})();
