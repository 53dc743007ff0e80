// Starts the GOV.UK Frontend components, and keeps audit drafts safe. Loaded as a module,
// so that old browsers skip it and get the plain HTML pages, which work without it.
import { initAll } from "./vendor/govuk/govuk-frontend.min.js";

initAll();

// htmx swaps new content in: start the GOV.UK components inside it too.
document.addEventListener("htmx:afterSettle", (event) => {
  initAll({ scope: event.detail.elt });
});

// An autosaving form: remember whether something typed has not reached the server yet,
// say so in the status line, and send it when the page is being left or hidden.
for (const form of document.querySelectorAll("form[data-autosave]")) {
  let pending = false;
  const status = () => document.getElementById("save-status");

  form.addEventListener("input", () => {
    pending = true;
    const line = status();
    if (line && !line.dataset.saving) {
      line.dataset.saving = "true";
      line.textContent = "Saving…";
    }
  });

  document.body.addEventListener("htmx:afterRequest", (event) => {
    if (event.detail.elt === form && event.detail.successful) {
      pending = false;
    }
  });

  document.body.addEventListener("htmx:responseError", (event) => {
    if (event.detail.elt === form && event.detail.xhr.status === 413) {
      const line = status();
      if (line) {
        line.textContent = "Not saved: what you typed is far too long. Shorten your answer to 20,000 characters or fewer.";
        delete line.dataset.saving;
      }
    }
  });

  document.body.addEventListener("htmx:sendError", (event) => {
    if (event.detail.elt === form) {
      const line = status();
      if (line) {
        line.textContent = "Not saved: the connection was lost. Keep this page open; it will save when you type again.";
        delete line.dataset.saving;
      }
    }
  });

  const flush = () => {
    if (!pending) return;
    const url = form.getAttribute("hx-post");
    if (url && navigator.sendBeacon(url, new FormData(form))) {
      pending = false;
    }
  };
  window.addEventListener("pagehide", flush);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") flush();
  });
}
