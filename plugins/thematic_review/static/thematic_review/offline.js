// "Prepare for offline use" on a review's page: the auditor, still connected, keeps the
// review's family conversation pages on this device before visiting the families.
//
// It registers the service worker (offline-worker.js, which answers from the cache when
// there is no connection) and fills its cache with each conversation page and what those
// pages load: the stylesheets and scripts they link, the modules those scripts import and
// the files the stylesheets point at. It says how far it has got, and when it is done.

const CACHE = "thematic_review.offline.v1";

function sameOrigin(url) {
  return new URL(url, location.href).origin === location.origin;
}

// What a page loads: its stylesheets, scripts and icons, as absolute URLs of this site.
function linkedFrom(html, base) {
  const page = new DOMParser().parseFromString(html, "text/html");
  const found = [
    ...[...page.querySelectorAll("link[rel~='stylesheet'][href], link[rel~='icon'][href]")].map(
      (link) => link.getAttribute("href"),
    ),
    ...[...page.querySelectorAll("script[src]")].map((script) => script.getAttribute("src")),
  ];
  return found.map((url) => new URL(url, base).href).filter(sameOrigin);
}

// What a script imports, or a stylesheet points at (fonts, images).
function referencedFrom(text, base, isScript) {
  const pattern = isScript
    ? /\bimport\s*(?:[^"'();]*?\sfrom\s*)?["']([^"']+)["']/g
    : /url\(\s*["']?([^"')]+)["']?\s*\)/g;
  return [...text.matchAll(pattern)]
    .map((match) => match[1])
    .filter((url) => !url.startsWith("data:"))
    .map((url) => new URL(url, base).href)
    .filter(sameOrigin);
}

async function fetchOk(url) {
  const response = await fetch(url, { credentials: "same-origin", redirect: "manual" });
  if (response.type === "opaqueredirect") throw new Error("signed-out");
  if (!response.ok) throw new Error(`${response.status}`);
  return response;
}

async function prepare(button, status) {
  const pages = JSON.parse(button.dataset.pages);
  const say = (text) => {
    status.textContent = text;
  };
  button.disabled = true;
  try {
    await navigator.serviceWorker.register(button.dataset.worker, {
      scope: button.dataset.scope,
    });
    const cache = await caches.open(CACHE);
    const assets = new Set();
    for (const [index, url] of pages.entries()) {
      say(`Preparing the conversation pages: ${index + 1} of ${pages.length}`);
      const response = await fetchOk(url);
      const html = await response.clone().text();
      await cache.put(url, response);
      for (const asset of linkedFrom(html, response.url || url)) assets.add(asset);
    }
    say("Preparing the pages' styles and scripts");
    const seen = new Set();
    const queue = [...assets];
    while (queue.length) {
      const url = queue.shift();
      if (seen.has(url)) continue;
      seen.add(url);
      let response;
      try {
        response = await fetchOk(url);
      } catch (error) {
        if (error.message === "signed-out") throw error;
        continue; // a file the pages can do without (a font, an image) is left out
      }
      const type = response.headers.get("Content-Type") ?? "";
      if (type.includes("javascript") || type.includes("css")) {
        const text = await response.clone().text();
        queue.push(...referencedFrom(text, url, type.includes("javascript")));
      }
      await cache.put(url, response);
    }
    await navigator.serviceWorker.ready;
    const count = Number(button.dataset.conversations);
    const noun = count === 1 ? "conversation page" : "conversation pages";
    say(
      `Ready: this review's page and its ${count} ${noun} open on this device without a ` +
        "connection. Answers typed offline are sent when the connection returns.",
    );
    status.dataset.state = "ready";
  } catch (error) {
    say(
      error.message === "signed-out"
        ? "Not prepared: you have been signed out. Sign in again, then prepare them again."
        : "Not prepared: the connection failed. Try again when you are connected.",
    );
    status.dataset.state = "failed";
  } finally {
    button.disabled = false;
  }
}

const button = document.querySelector("button[data-offline-prepare]");
const status = document.getElementById("offline-status");
if (button && status && "serviceWorker" in navigator && "caches" in window) {
  button.closest("[data-offline]").hidden = false;
  button.addEventListener("click", () => prepare(button, status));
}
