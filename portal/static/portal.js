// Starts the GOV.UK Frontend components. Loaded as a module so that old browsers skip it
// and get the plain HTML pages, which work without JavaScript.
import { initAll } from "./vendor/govuk/govuk-frontend.min.js";

initAll();

// htmx swaps new content in: start the GOV.UK components inside it too.
document.addEventListener("htmx:afterSettle", (event) => {
  initAll({ scope: event.detail.elt });
});
