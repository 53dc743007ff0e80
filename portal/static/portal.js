// Starts the GOV.UK Frontend components, and keeps audit drafts safe. Loaded as a module,
// so that old browsers skip it and get the plain HTML pages, which work without it.
import { initAll } from "./vendor/govuk/govuk-frontend.min.js";

initAll();

// The sign-in page (after signing out, or when a session has ended): remove every copy of
// the portal's pages kept for offline use (a plugin's service worker cache), so that the
// next person on this device cannot open them. Answers typed offline and not yet sent are
// kept apart, under the person who typed them, until they are sent.
if (document.querySelector("[data-signed-out]") && "caches" in window) {
  caches
    .keys()
    .then((names) => Promise.all(names.map((name) => caches.delete(name))))
    .catch(() => {});
}

// htmx swaps new content in: start the GOV.UK components inside it too.
document.addEventListener("htmx:afterSettle", (event) => {
  initAll({ scope: event.detail.elt });
});

// The text fields of an autosaving form that hold answers (not the "add an action" ones).
const typedFields = (form) =>
  [...form.querySelectorAll("textarea[name], input[name]")].filter(
    (field) =>
      (field.tagName === "TEXTAREA" || field.type === "text") && !field.name.startsWith("new-"),
  );

// An autosaving form: remember whether something typed has not reached the server yet,
// say so in the status line, and send it when the page is being left or hidden. What is
// typed is also kept in sessionStorage until the server has it, and put back when the page
// loads again: text typed just before a reload is never lost, whichever request wins.
for (const form of document.querySelectorAll("form[data-autosave]")) {
  let pending = false;
  let edits = 0; // inputs so far; a save that left none unsent clears the kept copy
  let sentAt = 0;
  const key = `portal-autosave:${form.getAttribute("hx-post")}`;
  const status = () => document.getElementById("save-status");

  const keep = () => {
    const values = {};
    for (const field of typedFields(form)) values[field.name] = field.value;
    try {
      sessionStorage.setItem(key, JSON.stringify(values));
    } catch {
      // storage full or refused: the autosave and the beacon still run
    }
  };

  const restore = () => {
    let kept = null;
    try {
      kept = JSON.parse(sessionStorage.getItem(key) || "null");
    } catch {
      kept = null;
    }
    if (!kept) return;
    let changed = null;
    for (const field of typedFields(form)) {
      if (field.name in kept && field.value !== kept[field.name]) {
        field.value = kept[field.name];
        changed = field;
      }
    }
    if (changed) {
      pending = true;
      edits += 1;
      // once htmx is listening, send it like any change
      window.addEventListener("load", () =>
        changed.dispatchEvent(new Event("change", { bubbles: true })),
      );
    } else {
      sessionStorage.removeItem(key);
    }
  };
  restore();

  form.addEventListener("input", () => {
    pending = true;
    edits += 1;
    keep();
    const line = status();
    if (line && !line.dataset.saving) {
      line.dataset.saving = "true";
      line.textContent = "Saving…";
    }
  });

  form.addEventListener("submit", () => sessionStorage.removeItem(key));

  document.body.addEventListener("htmx:beforeRequest", (event) => {
    if (event.detail.elt === form) sentAt = edits;
  });

  document.body.addEventListener("htmx:afterRequest", (event) => {
    if (event.detail.elt === form && event.detail.xhr.status === 200) {
      pending = sentAt !== edits; // typed again since it was sent: still to send
      if (!pending) sessionStorage.removeItem(key);
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
