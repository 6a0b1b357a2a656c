// Autosave of drafts (ADR 0018). Progressive enhancement for any <form data-autosave>: the form works
// without it. After a change it posts the form to its own address in the background (every ~20 s,
// `data-autosave-interval` in seconds, and when the page is hidden or left), with `X-Autosave: 1` and
// `autosave=1`; the view saves the draft without asking for anything and answers JSON (core/autosave.py).
// What is typed is also kept in sessionStorage until the server has it, so a session that expires
// mid-way loses nothing: the words are put back the next time this page is loaded in this tab.

const SKIP = new Set(["csrfmiddlewaretoken", "submission_token", "version", "autosave"]);
const DEFAULT_INTERVAL = 20;

function storage() {
  try {
    return window.sessionStorage;
  } catch {
    return null; // storage refused (a privacy setting): autosave still works, the copy does not
  }
}

class Autosave {
  constructor(form) {
    this.form = form;
    this.key = `autosave:${window.location.pathname}`;
    this.status = this.statusRegion();
    this.dirty = false;
    this.stopped = false;
    this.inFlight = false;
    this.timer = null;
    this.afterFlight = null;
    document.querySelectorAll(".app-autosave-note").forEach((note) => {
      note.hidden = false;
    });
    this.restore();
    form.addEventListener("input", () => this.changed());
    form.addEventListener("change", () => this.changed());
    form.addEventListener("submit", (event) => this.submitting(event));
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "hidden") this.save({ keepalive: true });
    });
    window.addEventListener("pagehide", () => this.save({ keepalive: true }));
    // Listening from here on: the note shows from the first paint (CSS), so this says the script runs.
    form.dataset.autosaveReady = "true";
  }

  // The polite live region that says what happened: the page's own (`data-autosave-status` names it),
  // or one made now, before the form's buttons, so it is in the page before it has anything to say.
  statusRegion() {
    const named = this.form.dataset.autosaveStatus;
    if (named && document.getElementById(named)) return document.getElementById(named);
    const region = document.createElement("div");
    region.className = "govuk-body app-autosave-status";
    region.setAttribute("role", "status");
    region.setAttribute("aria-live", "polite");
    if (!document.getElementById("autosave-status")) region.id = "autosave-status";
    const buttons = this.form.querySelector(".govuk-button-group") || this.form.querySelector("button");
    if (buttons) buttons.before(region);
    else this.form.append(region);
    return region;
  }

  get versionInput() {
    return this.form.elements.namedItem("version");
  }

  // The form's answers, less the tokens and the version: [[name, value], ...].
  fields() {
    return [...new FormData(this.form).entries()].filter(
      ([name, value]) => !SKIP.has(name) && typeof value === "string",
    );
  }

  store() {
    const store = storage();
    if (!store) return;
    const version = this.versionInput ? this.versionInput.value : "";
    try {
      store.setItem(this.key, JSON.stringify({ version, fields: this.fields() }));
    } catch {
      // storage full: the server copy is all there is
    }
  }

  forget() {
    const store = storage();
    if (store) store.removeItem(this.key);
  }

  // Put back what was typed before the page was left unsaved (a session that expired, a closed laptop).
  restore() {
    const store = storage();
    const saved = store && store.getItem(this.key);
    if (!saved) return;
    let draft;
    try {
      draft = JSON.parse(saved);
    } catch {
      this.forget();
      return;
    }
    const values = new Map();
    for (const [name, value] of draft.fields || []) {
      if (!values.has(name)) values.set(name, []);
      values.get(name).push(value);
    }
    // Only what a person typed or chose is put back: hidden inputs (ids, versions, how many parts the
    // page has) are the server's, and a page the server re-rendered (refused, or with a part added)
    // already holds the words it was sent. The server trims answers and may turn line endings round:
    // compare what the words say.
    const plain = (value) => value.replace(/\r\n/g, "\n").trim();
    const typed = (element) =>
      element.name &&
      !SKIP.has(element.name) &&
      values.has(element.name) &&
      !["hidden", "submit", "button", "file"].includes(element.type);
    const wanted = [];
    const seen = new Map();
    for (const element of this.form.elements) {
      if (!typed(element)) continue;
      if (element.type === "radio" || element.type === "checkbox") {
        const checked = values.get(element.name).includes(element.value);
        if (element.checked !== checked) wanted.push(() => (element.checked = checked));
      } else {
        const index = seen.get(element.name) || 0;
        seen.set(element.name, index + 1);
        const value = values.get(element.name)[index] ?? "";
        if (plain(element.value) !== plain(value)) wanted.push(() => (element.value = value));
      }
    }
    if (!wanted.length) {
      this.forget();
      return;
    }
    wanted.forEach((put) => put());
    // Saving checks the words against the version they were typed on (ADR 0009): if someone saved the
    // record since, the page shows what differs instead of overwriting it.
    if (this.versionInput && draft.version) this.versionInput.value = draft.version;
    this.dirty = true;
    this.say("What you typed before you left this page has been put back. It is not saved yet.");
    this.schedule();
  }

  say(text, link) {
    if (!this.status) return;
    this.status.textContent = text;
    if (link) {
      const anchor = document.createElement("a");
      anchor.className = "govuk-link";
      anchor.href = link.href;
      anchor.textContent = link.text;
      this.status.append(" ", anchor);
    }
  }

  interval() {
    const seconds = Number.parseFloat(this.form.dataset.autosaveInterval);
    return (Number.isFinite(seconds) && seconds > 0 ? seconds : DEFAULT_INTERVAL) * 1000;
  }

  schedule() {
    if (this.timer || this.stopped) return;
    this.timer = window.setTimeout(() => {
      this.timer = null;
      this.save();
    }, this.interval());
  }

  changed() {
    this.dirty = true;
    this.store();
    this.schedule();
  }

  submitting(event) {
    if (this.inFlight) {
      // Let the background save finish first, so the form goes with the version it produced.
      event.preventDefault();
      const submitter = event.submitter;
      this.afterFlight = () => this.form.requestSubmit(submitter);
      return;
    }
    this.stopped = true;
    window.clearTimeout(this.timer);
    this.timer = null;
  }

  async save({ keepalive = false } = {}) {
    if (this.stopped || !this.dirty || this.inFlight) return;
    window.clearTimeout(this.timer);
    this.timer = null;
    const body = new FormData(this.form);
    body.set("autosave", "1");
    this.dirty = false;
    this.inFlight = true;
    let response = null;
    let answer = null;
    try {
      response = await fetch(this.form.getAttribute("action") || window.location.href, {
        method: "POST",
        body,
        headers: { "X-Autosave": "1", Accept: "application/json" },
        credentials: "same-origin",
        redirect: "manual",
        keepalive,
      });
      if ((response.headers.get("Content-Type") || "").includes("application/json")) {
        answer = await response.json();
      }
    } catch {
      response = null;
    }
    this.inFlight = false;
    this.answered(response, answer);
    if (this.afterFlight) {
      const submit = this.afterFlight;
      this.afterFlight = null;
      submit();
    }
  }

  answered(response, answer) {
    if (response && response.ok && answer && answer.saved) {
      if (this.versionInput && answer.version != null) this.versionInput.value = String(answer.version);
      // Hidden inputs the view names (a new draft's id, each part's version), so the next save updates
      // what this one wrote rather than refusing it as stale or adding it twice.
      for (const [name, value] of Object.entries(answer.fields || {})) {
        const input = this.form.elements.namedItem(name);
        if (input && "value" in input) input.value = String(value);
      }
      if (this.dirty) this.store();
      else this.forget();
      this.say(`Draft saved at ${answer.at}`);
      return;
    }
    this.dirty = true;
    this.store();
    if (!response) {
      this.say("Your draft could not be saved just now. What you typed is kept in this browser.");
      this.schedule();
    } else if (response.type === "opaqueredirect" || response.status === 401 || response.status === 403) {
      // The session has expired: the sign-in page, or the CSRF check, answered instead of the view.
      this.stopped = true;
      this.say(
        "You have been signed out, so your draft was not saved. What you typed is kept in this browser: sign in again and come back to this page to carry on.",
        { href: window.location.pathname, text: "Sign in again" },
      );
    } else if (response.status === 409 && answer) {
      this.stopped = true;
      this.say(`${answer.message} What you typed is still on this page: choose Save to see what differs.`);
    } else if (answer && answer.errors && answer.errors.length) {
      this.say(`Draft not saved: ${answer.errors.join(". ")}`);
    } else {
      this.say("Your draft could not be saved. What you typed is kept in this browser.");
    }
  }
}

export function initAutosave(root = document) {
  root.querySelectorAll("form[data-autosave]").forEach((form) => new Autosave(form));
}
