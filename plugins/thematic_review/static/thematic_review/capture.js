// The conversation with a family, captured on a tablet or phone in the family's home.
//
// Without this script the page is one plain form. With it: one question per screen; every
// keystroke kept in this device's localStorage, under the person signed in, the review case
// and the conversation's own key (a UUID made when the conversation starts); "Send" queues
// the conversation on the device and posts it when there is a connection: at once, when the
// browser comes back online, after a failed try, or on the next visit to the page. The
// server keeps one conversation per key, so a conversation sent twice is recorded once. A
// sent conversation is removed from the device.

const PREFIX = "thematic_review.conversation.";
const POINTER = "thematic_review.current.";
const RETRY_FIRST_MS = 2000;
const RETRY_MAX_MS = 60000;

const STATUS = {
  saved: "Saved on this device",
  offline:
    "Offline: your answers are kept on this device and will be sent when the connection returns",
  sending: "Sending…",
  sent: "Sent",
  failed: "Not sent yet: your answers are kept on this device and will be sent again shortly",
  "signed-out":
    "You have been signed out. Your answers are kept on this device: " +
    "sign in again, then come back to this page to send them.",
  rejected: "Not sent: check the answers marked. They are kept on this device.",
  refused: "Not sent: the portal refused it. Your answers are kept on this device.",
  "no-storage": "This device cannot keep your answers: keep this page open until they are sent",
};

// localStorage, which may be full or switched off: failures are reported, never thrown.
const store = {
  read(key) {
    try {
      return JSON.parse(localStorage.getItem(key));
    } catch {
      return null;
    }
  },
  write(key, value) {
    try {
      localStorage.setItem(key, JSON.stringify(value));
      return true;
    } catch {
      return false;
    }
  },
  remove(key) {
    try {
      localStorage.removeItem(key);
    } catch {
      // nothing was kept
    }
  },
  keys() {
    try {
      return Object.keys(localStorage);
    } catch {
      return [];
    }
  },
};

// A version 4 UUID: crypto.randomUUID where the page is a secure context, else by hand.
function uuid() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((byte) => byte.toString(16).padStart(2, "0")).join("");
  const parts = [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20)];
  return [...parts, hex.slice(20)].join("-");
}

function element(tag, className, text) {
  const made = document.createElement(tag);
  if (className) made.className = className;
  if (text !== undefined) made.textContent = text;
  return made;
}

function csrfToken() {
  return document.querySelector('meta[name="csrf-token"]')?.content ?? "";
}

// What is sent: everything, or only the refusal when the family did not consent.
function payload(fields) {
  const refused = fields.some(([name, value]) => name === "consent" && value === "refused");
  const kept = refused
    ? fields.filter(([name]) => name === "client_key" || name === "consent")
    : fields;
  return new URLSearchParams(kept);
}

class Capture {
  constructor(form) {
    this.form = form;
    this.caseId = form.dataset.reviewCase;
    this.prefix = `${PREFIX}${form.dataset.user}.`; // another person's conversations stay theirs
    this.pointerPrefix = `${POINTER}${form.dataset.user}.`;
    this.steps = [...form.querySelectorAll("[data-step]")];
    this.checkIndex = this.steps.findIndex((step) => step.dataset.step === "check");
    this.sendBar = form.querySelector(".tr-send");
    this.submitButton = this.sendBar.querySelector('button[type="submit"]');
    this.keyInput = form.elements.namedItem("client_key");
    this.status = document.getElementById("capture-status");
    this.errorBox = document.getElementById("capture-errors");
    this.summary = document.getElementById("capture-summary");
    this.done = document.getElementById("capture-done");
    this.current = 0;
    this.returnToCheck = false;
    this.sending = false;
    this.sendAgain = false;
    this.retryDelay = 0;
    this.retryTimer = null;
    this.shownKey = null;

    form.classList.add("tr-capture--js");
    for (const nav of form.querySelectorAll(".tr-step__nav, .tr-send [data-back]")) {
      nav.hidden = false;
    }
    form.addEventListener("click", (event) => this.onClick(event));
    form.addEventListener("submit", (event) => this.onSubmit(event));
    form.addEventListener("input", () => this.remember());
    form.addEventListener("change", () => this.remember());
    document.getElementById("capture-again").addEventListener("click", () => this.startAgain());
    window.addEventListener("online", () => this.onOnline());
    window.addEventListener("offline", () => this.setStatus("offline"));

    const kept = store.read(this.pointerPrefix + this.caseId);
    const draft = typeof kept === "string" ? store.read(this.entryKey(kept)) : null;
    if (draft && !draft.queued) {
      this.draft = draft;
      this.fill(draft.fields);
      this.keyInput.value = draft.clientKey;
      this.show(Math.min(draft.step ?? 0, this.checkIndex), false);
      this.setStatus(navigator.onLine ? "saved" : "offline");
    } else {
      this.draft = this.newDraft();
      this.show(0, false);
      if (!navigator.onLine) this.setStatus("offline");
    }
    this.sendQueued();
  }

  entryKey(clientKey, caseId = this.caseId) {
    return `${this.prefix}${caseId}.${clientKey}`;
  }

  newDraft() {
    const clientKey = uuid();
    this.keyInput.value = clientKey;
    const { action: url } = this.form;
    return { url, caseId: this.caseId, clientKey, fields: [], step: 0, queued: false };
  }

  // ----- the answers -----

  fields() {
    return [...new FormData(this.form)].filter(([name]) => name !== "csrf_token");
  }

  values(name) {
    return this.fields()
      .filter(([field]) => field === name)
      .map(([, value]) => value.trim())
      .filter(Boolean);
  }

  value(name) {
    return this.values(name)[0] ?? "";
  }

  refused() {
    return this.value("consent") === "refused";
  }

  fill(fields) {
    const given = new Map();
    for (const [name, value] of fields) given.set(name, [...(given.get(name) ?? []), value]);
    for (const control of this.form.elements) {
      if (!control.name || control.name === "csrf_token" || control.tagName === "BUTTON") continue;
      const values = given.get(control.name) ?? [];
      if (control.type === "radio" || control.type === "checkbox") {
        control.checked = values.includes(control.value);
      } else {
        control.value = values[0] ?? "";
      }
    }
    this.syncConditionals();
  }

  // GOV.UK radios reveal a question under a chosen answer; keep that in step with restored answers.
  syncConditionals() {
    for (const input of this.form.querySelectorAll("input[aria-controls]")) {
      const revealed = document.getElementById(input.getAttribute("aria-controls"));
      if (!revealed) continue;
      revealed.classList.toggle("govuk-radios__conditional--hidden", !input.checked);
      input.setAttribute("aria-expanded", String(input.checked));
    }
  }

  // Every keystroke: keep the answers on this device.
  remember() {
    this.draft.fields = this.fields();
    this.draft.step = this.current;
    this.persist(this.draft);
    if (this.status.dataset.state !== "no-storage") {
      this.setStatus(navigator.onLine ? "saved" : "offline");
    }
  }

  persist(entry) {
    const kept =
      store.write(this.entryKey(entry.clientKey, entry.caseId), entry) &&
      store.write(this.pointerPrefix + entry.caseId, entry.clientKey);
    if (!kept) this.setStatus("no-storage");
    return kept;
  }

  // ----- the steps -----

  applies(group) {
    const rule = group.dataset.requiredIf;
    if (!rule) return true;
    const [name, value] = rule.split("=");
    return this.value(name) === value;
  }

  problems(step) {
    return [...step.querySelectorAll("[data-required]")]
      .filter((group) => this.applies(group) && this.values(group.dataset.field).length === 0)
      .map((group) => [group.dataset.field, group.dataset.required]);
  }

  lastStep() {
    return this.refused() ? 0 : this.checkIndex - 1;
  }

  firstInvalid() {
    for (let index = 0; index <= this.lastStep(); index += 1) {
      if (this.problems(this.steps[index]).length) return index;
    }
    return -1;
  }

  show(index, focus = true) {
    this.current = index;
    this.steps.forEach((step, position) => {
      step.hidden = position !== index;
    });
    const atCheck = index === this.checkIndex;
    this.sendBar.hidden = !atCheck;
    if (atCheck) this.buildSummary();
    this.submitButton.textContent = this.refused()
      ? "Record that they do not consent"
      : "Send the conversation";
    if (this.draft && this.draft.fields.length) {
      this.draft.step = index;
      this.persist(this.draft);
    }
    if (focus) this.steps[index].focus();
  }

  next() {
    const found = this.problems(this.steps[this.current]);
    this.showErrors(found);
    if (found.length) return;
    if (this.refused() || this.returnToCheck) {
      const invalid = this.firstInvalid();
      this.show(invalid === -1 ? this.checkIndex : invalid);
    } else {
      this.show(this.current + 1);
    }
    if (this.current === this.checkIndex) this.returnToCheck = false;
  }

  back() {
    this.clearErrors();
    this.returnToCheck = false;
    const previous = this.current === this.checkIndex ? this.lastStep() : this.current - 1;
    this.show(Math.max(previous, 0));
  }

  onClick(event) {
    const button = event.target.closest("button[data-next], button[data-back]");
    if (!button) return;
    event.preventDefault();
    if (button.hasAttribute("data-next")) this.next();
    else this.back();
  }

  labelOf(control) {
    return this.form.querySelector(`label[for="${control.id}"]`)?.textContent.trim() ?? "";
  }

  // What a step's answers say, for the check-your-answers list.
  describe(step) {
    const lines = [];
    for (const group of step.querySelectorAll("[data-field]")) {
      if (!this.applies(group)) continue;
      const controls = [...group.querySelectorAll(`[name="${group.dataset.field}"]`)];
      if (!controls.length) continue;
      if (controls[0].type === "radio" || controls[0].type === "checkbox") {
        const chosen = controls
          .filter((control) => control.checked)
          .map((control) => this.labelOf(control));
        if (chosen.length) lines.push(chosen.join(", "));
      } else if (controls[0].value.trim()) {
        lines.push(controls[0].value.trim());
      }
    }
    return lines.join("\n") || "Nothing said";
  }

  buildSummary() {
    const rows = [];
    for (let index = 0; index <= this.lastStep(); index += 1) {
      const step = this.steps[index];
      const row = element("div", "govuk-summary-list__row");
      const change = element("button", "tr-link-button", "Change");
      change.type = "button";
      const what = ` ${step.dataset.summary.toLowerCase()}`;
      change.append(element("span", "govuk-visually-hidden", what));
      change.addEventListener("click", () => {
        this.returnToCheck = true;
        this.show(index);
      });
      const actions = element("dd", "govuk-summary-list__actions");
      actions.append(change);
      row.append(
        element("dt", "govuk-summary-list__key", step.dataset.summary),
        element("dd", "govuk-summary-list__value tr-answer", this.describe(step)),
        actions,
      );
      rows.push(row);
    }
    this.summary.replaceChildren(...rows);
  }

  // ----- errors, in the GOV.UK way -----

  clearErrors() {
    this.errorBox.replaceChildren();
    for (const group of this.form.querySelectorAll(".govuk-form-group--error")) {
      group.classList.remove("govuk-form-group--error");
    }
    for (const message of this.form.querySelectorAll(".govuk-error-message")) message.remove();
    const marked = this.form.querySelectorAll(".govuk-input--error, .govuk-textarea--error");
    for (const control of marked) {
      control.classList.remove("govuk-input--error", "govuk-textarea--error");
    }
    for (const described of this.form.querySelectorAll("[aria-describedby]")) {
      const ids = described
        .getAttribute("aria-describedby")
        .split(/\s+/)
        .filter((id) => id && document.getElementById(id));
      if (ids.length) described.setAttribute("aria-describedby", ids.join(" "));
      else described.removeAttribute("aria-describedby");
    }
  }

  showErrors(found) {
    this.clearErrors();
    if (!found.length) return;
    const list = element("ul", "govuk-list govuk-error-summary__list");
    for (const [field, message] of found) {
      const link = element("a", "", message);
      link.href = `#${field}`;
      const item = element("li");
      item.append(link);
      list.append(item);
      this.markError(field, message);
    }
    const body = element("div", "govuk-error-summary__body");
    body.append(list);
    const alert = element("div");
    alert.setAttribute("role", "alert");
    alert.append(element("h2", "govuk-error-summary__title", "There is a problem"), body);
    const summary = element("div", "govuk-error-summary");
    summary.tabIndex = -1;
    summary.append(alert);
    this.errorBox.append(summary);
    summary.focus();
  }

  markError(field, message) {
    const group = this.form.querySelector(`[data-field="${field}"]`);
    if (!group) return;
    const control = group.querySelector(
      ".govuk-radios, .govuk-checkboxes, .govuk-input, .govuk-textarea",
    );
    if (!control) return;
    group.classList.add("govuk-form-group--error");
    const text = element("p", "govuk-error-message");
    text.id = `${field}-error`;
    text.append(element("span", "govuk-visually-hidden", "Error: "), message);
    control.before(text);
    const typed = control.matches(".govuk-input, .govuk-textarea");
    if (typed) {
      const input = control.matches(".govuk-input");
      control.classList.add(input ? "govuk-input--error" : "govuk-textarea--error");
    }
    const described = typed ? control : control.parentElement;
    const ids = (described.getAttribute("aria-describedby") ?? "").split(/\s+/).filter(Boolean);
    described.setAttribute("aria-describedby", [...ids, text.id].join(" "));
  }

  // ----- sending -----

  onSubmit(event) {
    event.preventDefault();
    if (this.current !== this.checkIndex) {
      this.next(); // Enter in a one-line answer: on to the next question, not away
      return;
    }
    const invalid = this.firstInvalid();
    if (invalid !== -1) {
      this.show(invalid);
      this.showErrors(this.problems(this.steps[invalid]));
      return;
    }
    this.draft.fields = this.fields();
    this.draft.queued = true;
    this.persist(this.draft);
    this.showWaiting(this.draft);
    this.sendQueued();
  }

  queued() {
    return store
      .keys()
      .filter((key) => key.startsWith(this.prefix))
      .map((key) => [key, store.read(key)])
      .filter(([, entry]) => entry && entry.queued);
  }

  async sendQueued() {
    if (this.sending) {
      this.sendAgain = true; // queued while another was on its way: send it next
      return;
    }
    this.sendAgain = false;
    const queue = this.queued();
    if (!queue.length) return;
    if (!navigator.onLine) {
      this.setStatus("offline");
      return;
    }
    this.sending = true;
    clearTimeout(this.retryTimer);
    this.setStatus("sending");
    let outcome = "sent";
    try {
      for (const [key, entry] of queue) {
        const result = await this.post(entry);
        if (result.ok) {
          store.remove(key);
          const pointer = this.pointerPrefix + entry.caseId;
          if (store.read(pointer) === entry.clientKey) store.remove(pointer);
          if (entry.clientKey === this.shownKey) this.showSent(result.body);
        } else if (result.retry || result.signedOut) {
          outcome = result.signedOut ? "signed-out" : "failed";
          break;
        } else {
          outcome = result.errors ? "rejected" : "refused";
          this.reopen(entry, result.errors);
        }
      }
    } finally {
      this.sending = false;
    }
    if (outcome === "failed") {
      this.setStatus(navigator.onLine ? "failed" : "offline");
      this.retryDelay = Math.min(Math.max(RETRY_FIRST_MS, this.retryDelay * 2), RETRY_MAX_MS);
      this.retryTimer = setTimeout(() => this.sendQueued(), this.retryDelay);
    } else {
      this.retryDelay = 0;
      this.setStatus(outcome);
      if (this.sendAgain) this.sendQueued();
    }
  }

  async post(entry, tokenRenewed = false) {
    let response;
    try {
      response = await fetch(entry.url, {
        method: "POST",
        body: payload(entry.fields),
        headers: { Accept: "application/json", "X-CSRFToken": csrfToken() },
        credentials: "same-origin",
        redirect: "manual",
      });
    } catch {
      return { retry: true }; // offline, or the connection dropped
    }
    if (response.type === "opaqueredirect" || response.status === 401) return { signedOut: true };
    const isJson = (response.headers.get("Content-Type") ?? "").includes("application/json");
    if (response.status >= 500 || (response.ok && !isJson)) return { retry: true };
    if (response.status === 400 && !isJson && !tokenRenewed) {
      // the page's CSRF token has expired: fetch a fresh one and try once more
      const renewed = await this.renewToken();
      if (renewed === "ok") return this.post(entry, true);
      return renewed === "signed-out" ? { signedOut: true } : { retry: true };
    }
    let body;
    try {
      body = isJson ? await response.json() : {};
    } catch {
      return { retry: true };
    }
    if (response.ok) return { ok: true, body };
    return { errors: response.status === 400 ? body.errors : null };
  }

  async renewToken() {
    try {
      const response = await fetch(this.form.action, {
        credentials: "same-origin",
        redirect: "manual",
        headers: { Accept: "text/html" },
      });
      if (response.type === "opaqueredirect") return "signed-out";
      if (!response.ok) return "failed";
      const page = new DOMParser().parseFromString(await response.text(), "text/html");
      const fresh = page.querySelector('meta[name="csrf-token"]')?.content;
      if (!fresh) return "failed";
      document.querySelector('meta[name="csrf-token"]').content = fresh;
      return "ok";
    } catch {
      return "failed";
    }
  }

  // The portal would not take a conversation: it becomes a draft again, to be put right.
  reopen(entry, errors) {
    entry.queued = false;
    this.persist(entry);
    if (entry.caseId !== this.caseId || entry.clientKey !== this.shownKey) return;
    this.draft = entry;
    this.done.hidden = true;
    this.form.hidden = false;
    this.fill(entry.fields);
    const found = Object.entries(errors ?? {});
    const first = found.length ? `[data-field="${found[0][0]}"]` : null;
    const step = first ? this.steps.findIndex((each) => each.querySelector(first)) : -1;
    this.show(step === -1 ? this.checkIndex : step);
    this.showErrors(found);
  }

  onOnline() {
    if (this.queued().length) this.sendQueued();
    else if (this.status.dataset.state === "offline") this.setStatus("saved");
  }

  setStatus(state) {
    this.status.hidden = false;
    this.status.dataset.state = state;
    this.status.textContent = STATUS[state];
    if (state === "signed-out") {
      const link = element("a", "govuk-link", "Sign in again");
      link.href = this.form.dataset.signIn;
      this.status.append(" ", link);
    }
  }

  // ----- after "Send" -----

  showWaiting(entry) {
    this.shownKey = entry.clientKey;
    this.clearErrors();
    this.form.hidden = true;
    this.done.hidden = false;
    document.getElementById("capture-done-heading").textContent = "Waiting to send";
    document.getElementById("capture-done-text").textContent =
      "This conversation is kept on this device and will be sent as soon as there is a " +
      "connection. You can start another conversation meanwhile.";
    document.getElementById("capture-concern").hidden = true;
    document.getElementById("capture-done-heading").focus();
  }

  showSent(body) {
    const refused = body.consent === "refused";
    document.getElementById("capture-done-heading").textContent = refused
      ? "Refusal recorded"
      : "Conversation sent";
    document.getElementById("capture-done-text").textContent = refused
      ? "Only their refusal has been recorded."
      : "What the family said has been recorded in the portal.";
    const concern = document.getElementById("capture-concern");
    if (body.concern_raised) {
      concern.hidden = false;
      concern.textContent = body.concern_sent_to
        ? `Your safeguarding concern has been sent to ${body.concern_sent_to}.`
        : this.done.dataset.nobodyTold;
    }
  }

  startAgain() {
    this.form.reset();
    this.syncConditionals();
    this.clearErrors();
    this.draft = this.newDraft();
    this.returnToCheck = false;
    this.done.hidden = true;
    this.form.hidden = false;
    this.show(0);
  }
}

const form = document.querySelector("form[data-capture]");
if (form) new Capture(form);
