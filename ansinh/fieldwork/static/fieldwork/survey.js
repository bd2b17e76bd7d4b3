/* The offline household survey: worklist, one short step at a time, and a queue in IndexedDB.
 *
 * Answers and photos are stored on the phone first and sent with the device token when the network
 * answers; each visit carries a UUID made here, so a retry after a lost answer is stored once.
 * No framework: the page's sections are the steps, buttons say where they lead (data-go) and what
 * they record (data-set).
 */
(function () {
  "use strict";

  const app = document.getElementById("survey-app");
  if (!app) return;
  const DB_NAME = "ansinh-fieldwork";
  const API = app.dataset.api;
  const t = (key) => app.dataset["t" + key[0].toUpperCase() + key.slice(1)] || key;
  const $ = (id) => document.getElementById(id);
  const labels = {};
  $("labels").content.querySelectorAll("span").forEach((s) => { labels[s.dataset.k] = s.textContent; });

  // -- IndexedDB ---------------------------------------------------------------------------------------------
  let dbPromise = null;
  function db() {
    if (!dbPromise) {
      dbPromise = new Promise((resolve, reject) => {
        const open = indexedDB.open(DB_NAME, 1);
        open.onupgradeneeded = () => {
          open.result.createObjectStore("meta");
          open.result.createObjectStore("queue", { keyPath: "id" });
        };
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
    }
    return dbPromise;
  }
  async function tx(store, mode, work) {
    const conn = await db();
    return new Promise((resolve, reject) => {
      const transaction = conn.transaction(store, mode);
      const request = work(transaction.objectStore(store));
      transaction.oncomplete = () => resolve(request ? request.result : undefined);
      transaction.onerror = () => reject(transaction.error);
    });
  }
  const metaGet = (key) => tx("meta", "readonly", (s) => s.get(key));
  const metaSet = (key, value) => tx("meta", "readwrite", (s) => s.put(value, key));
  const queueAll = () => tx("queue", "readonly", (s) => s.getAll());
  const queuePut = (item) => tx("queue", "readwrite", (s) => s.put(item));
  const queueDelete = (id) => tx("queue", "readwrite", (s) => s.delete(id));

  // -- state -------------------------------------------------------------------------------------------------
  let worklist = null; // {commune: {...}, rows: [...], downloaded_at}
  let done = {}; // person id -> classification or reason, from this phone
  let answers = {};
  let files = []; // [{kind, blob}] waiting for the current visit
  let history = [];
  let sending = false;

  function flash(text, isError) {
    const box = $("flash");
    box.textContent = text;
    box.hidden = !text;
    box.classList.toggle("error", Boolean(isError));
  }

  // -- steps -------------------------------------------------------------------------------------------------
  function show(step, remember) {
    const current = document.querySelector(".step:not([hidden])");
    if (remember !== false && current && current.dataset.step !== step) history.push(current.dataset.step);
    document.querySelectorAll(".step").forEach((s) => { s.hidden = s.dataset.step !== step; });
    $("back").hidden = step === "list";
    $("cancel").hidden = step === "list";
    if (step === "capture") $("capture-later").hidden = answers.classification !== "no_account";
    if (step === "capture" && answers.channel) $("channel").value = answers.channel;
    if (step === "summary") renderSummary();
    const heading = document.querySelector(`[data-step="${step}"] h1, [data-step="${step}"] h2`);
    if (heading) { heading.tabIndex = -1; heading.focus(); }
    window.scrollTo(0, 0);
  }

  function applySet(spec) {
    spec.split(";").filter(Boolean).forEach((pair) => {
      const [key, raw] = pair.split("=");
      if (key === "classification") {
        // A new classification forgets what an abandoned path recorded.
        ["channel", "bank_bin", "account_number", "holder_name", "refusal", "organisation_id", "registered"]
          .filter((k) => !(k === "registered" && raw !== "no_account" && raw !== "force_majeure"))
          .forEach((k) => delete answers[k]);
      }
      answers[key] = raw === "true" ? true : raw === "false" ? false : raw;
    });
  }

  function startVisit(person) {
    answers = { uuid: crypto.randomUUID(), person_id: person.id, started_at: new Date().toISOString() };
    files = [];
    history = [];
    document.querySelectorAll(".step input:not([type=radio]):not([type=file]), .step textarea").forEach((el) => {
      if (el.id !== "search") el.value = "";
    });
    document.querySelectorAll(".step input[type=radio]").forEach((el) => { el.checked = false; });
    document.querySelectorAll(".step input[type=file]").forEach((el) => { el.value = ""; });
    $("qr-result").textContent = "";
    const who = $("who");
    who.replaceChildren();
    const address = [person.house, person.hamlet].filter(Boolean).join(", ");
    const payout = person.payout ? `${person.payout.bank || person.payout.channel} ${person.payout.account}` : labels.nothing;
    [["name", person.name], ["birth", person.birth], ["citizen_id", person.citizen_id], ["address", address],
      ["payout", payout]].forEach(([k, v]) => addPair(who, labels[k], v || "—"));
    show("identity");
  }

  function addPair(list, term, value) {
    const dt = document.createElement("dt");
    dt.textContent = term;
    const dd = document.createElement("dd");
    dd.textContent = value;
    list.append(dt, dd);
  }

  function renderSummary() {
    const box = $("summary");
    box.replaceChildren();
    const person = (worklist.rows || []).find((p) => p.id === answers.person_id) || {};
    addPair(box, labels.name, person.name || "");
    addPair(box, labels.classification, labels[answers.classification] || "");
    if (answers.account_number) addPair(box, labels.account, `${answers.bank_bin} · ${answers.account_number} · ${answers.holder_name}`);
    if (answers.refusal) addPair(box, labels.reason, answers.refusal.reason);
    addPair(box, labels.proxy, answers.proxy ? `${answers.proxy.full_name} (${answers.proxy.relationship})` : labels.nothing);
    $("minutes-photo-label").hidden = answers.classification !== "declined";
  }

  function need(ids, errorBox) {
    const missing = ids.filter((id) => !$(id).value.trim());
    $(errorBox).hidden = missing.length === 0;
    $(errorBox).textContent = missing.length ? t("required") : "";
    if (missing.length) $(missing[0]).focus();
    return missing.length === 0;
  }

  const actions = {
    "save-unfinished"() {
      const chosen = document.querySelector("input[name=reason]:checked");
      if (!chosen) { flash(t("required"), true); return; }
      answers.outcome = "not_finished";
      answers.reason = chosen.value;
      answers.identity_confirmed = false;
      if ($("follow_up_date").value) answers.follow_up_date = $("follow_up_date").value;
      if (chosen.value === "moved_away" && $("new_commune_code").value.trim()) {
        answers.new_commune_code = $("new_commune_code").value.trim();
      }
      save();
    },
    capture() {
      const number = $("account_number").value.replace(/\s+/g, "").toUpperCase();
      const again = $("account_number_again").value.replace(/\s+/g, "").toUpperCase();
      if (!need(["bank_bin", "account_number", "account_number_again", "holder_name"], "capture-error")) return;
      if (number !== again) {
        $("capture-error").hidden = false;
        $("capture-error").textContent = t("mismatch");
        $("account_number_again").focus();
        return;
      }
      Object.assign(answers, {
        channel: $("channel").value, bank_bin: $("bank_bin").value, account_number: number,
        holder_name: $("holder_name").value.trim(),
      });
      show("proxy");
    },
    "capture-later"() {
      answers.channel = $("channel").value;
      show("proxy");
    },
    organisation() {
      answers.organisation_id = Number($("organisation_id").value) || null;
      if (answers.classification === "force_majeure") answers.channel = "cash_home";
      show("proxy");
    },
    refusal() {
      if (!need(["refusal_reason"], "refusal-error")) return;
      answers.refusal = {
        reason: $("refusal_reason").value.trim(), police_officer: $("police_officer").value.trim(),
        culture_officer: $("culture_officer").value.trim(),
      };
      show("proxy");
    },
    "no-proxy"() { delete answers.proxy; show("summary"); },
    proxy() {
      if (!need(["proxy_full_name", "proxy_relationship"], "proxy-error")) return;
      answers.proxy = {};
      ["full_name", "relationship", "citizen_id", "phone", "letter_date", "certifying_commune_code"].forEach((k) => {
        const value = $("proxy_" + k).value.trim();
        if (value) answers.proxy[k] = value;
      });
      const scan = $("proxy-scan").files[0];
      if (scan) files.push({ kind: "proxy_letter", blob: scan });
      show("summary");
    },
    save() {
      answers.outcome = "classified";
      const minutes = $("minutes-photo").files[0];
      if (minutes) files.push({ kind: "minutes", blob: minutes });
      save();
    },
  };

  async function save() {
    const note = $("note").value.trim();
    const visit = { ...answers, finished_at: new Date().toISOString() };
    if (note) visit.note = note;
    const now = Date.now();
    await queuePut({ id: visit.uuid, type: "visit", order: now, body: visit, tries: 0, error: "" });
    for (const [i, file] of files.entries()) {
      await queuePut({
        id: crypto.randomUUID(), type: "attachment", order: now + i + 1, visit: visit.uuid, kind: file.kind,
        blob: file.blob, name: file.blob.name || "photo", tries: 0, error: "",
      });
    }
    done[visit.person_id] = visit.classification || visit.reason;
    await metaSet("done", done);
    answers = {};
    files = [];
    history = [];
    renderPeople();
    show("list", false);
    flash(t("saved"));
    await renderQueue();
    flush();
  }

  // -- QR ------------------------------------------------------------------------------------------------------
  function crc16(text) {
    let crc = 0xffff;
    for (const byte of new TextEncoder().encode(text)) {
      crc ^= byte << 8;
      for (let i = 0; i < 8; i++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
    }
    return crc.toString(16).toUpperCase().padStart(4, "0");
  }
  function tlv(text) {
    const out = {};
    let i = 0;
    while (i + 4 <= text.length) {
      const tag = text.slice(i, i + 2);
      const size = Number(text.slice(i + 2, i + 4));
      if (!Number.isInteger(size)) return null;
      out[tag] = text.slice(i + 4, i + 4 + size);
      i += 4 + size;
    }
    return i === text.length ? out : null;
  }
  function readVietQR(text) {
    if (!text || text.length < 8 || crc16(text.slice(0, -4)) !== text.slice(-4).toUpperCase()) return null;
    const top = tlv(text);
    const merchant = top && top["38"] && tlv(top["38"]);
    const consumer = merchant && merchant["01"] && tlv(merchant["01"]);
    if (!consumer || merchant["00"] !== "A000000727" || merchant["02"] === "QRIBFTTC") return null;
    return { bin: consumer["00"], account: consumer["01"] };
  }
  function useQR(text) {
    const found = readVietQR(text);
    $("qr-result").textContent = found ? t("qrOk") : t("qrBad");
    if (!found) return;
    $("bank_bin").value = found.bin;
    $("account_number").value = found.account;
    $("account_number_again").value = found.account; // read by the machine, not typed: no second typing
    $("holder_name").focus();
  }

  // -- worklist ----------------------------------------------------------------------------------------------
  function renderPeople() {
    const box = $("people");
    box.replaceChildren();
    if (!worklist) return;
    const query = $("search").value.trim().toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d");
    let hamlet = null;
    let list = null;
    let count = 0;
    for (const person of worklist.rows) {
      const folded = `${person.name} ${person.house}`.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d");
      if (query && !folded.includes(query)) continue;
      if (person.hamlet !== hamlet) {
        hamlet = person.hamlet;
        const heading = document.createElement("h2");
        heading.textContent = hamlet || "—";
        list = document.createElement("ul");
        list.className = "people";
        box.append(heading, list);
      }
      const item = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "person";
      const state = done[person.id] || (person.last && (person.last.classification || person.last.reason));
      button.textContent = `${person.house || "—"} · ${person.name}`;
      if (state) {
        const badge = document.createElement("span");
        badge.className = "badge";
        badge.textContent = done[person.id] ? `✓ ${t("done")}` : state;
        button.append(" ", badge);
      }
      button.addEventListener("click", () => startVisit(person));
      item.append(button);
      list.append(item);
      count += 1;
    }
    const stamp = new Date(worklist.downloaded_at).toLocaleString();
    $("list-info").textContent = `${worklist.commune.name} · ${count}/${worklist.rows.length} · ${stamp}`;
  }

  async function download() {
    const token = await ensureToken();
    if (!token) return;
    const commune = $("commune").value;
    const response = await fetch(`${API}worklist?commune=${encodeURIComponent(commune)}`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    if (!response.ok) { flash(`${t("refused")} (${response.status})`, true); return; }
    const data = await response.json();
    worklist = { commune: data.commune, rows: data.rows, downloaded_at: new Date().toISOString() };
    await metaSet("worklist", worklist);
    renderPeople();
    flash(t("downloaded").replace("%s", data.commune.name).replace("%d", data.rows.length));
  }

  // -- device token ------------------------------------------------------------------------------------------
  async function ensureToken() {
    const stored = await metaGet("token");
    const soon = Date.now() + 2 * 24 * 3600 * 1000;
    if (stored && stored.user === app.dataset.user && new Date(stored.expires_at).getTime() > soon) return stored.token;
    if (!navigator.onLine) return stored ? stored.token : null;
    try {
      const response = await fetch(app.dataset.tokenUrl, {
        method: "POST", credentials: "same-origin", headers: { "X-CSRFToken": app.dataset.csrf },
      });
      if (!response.ok) throw new Error(String(response.status));
      const data = await response.json();
      await metaSet("token", { token: data.token, expires_at: data.expires_at, user: data.user });
      return data.token;
    } catch (error) {
      if (stored) return stored.token;
      flash(t("login"), true);
      return null;
    }
  }

  // -- the queue ---------------------------------------------------------------------------------------------
  async function renderQueue() {
    const items = (await queueAll()).sort((a, b) => a.order - b.order);
    $("queue-summary").textContent = items.length ? t("waiting").replace("%s", items.length) : t("noneWaiting");
    $("queue-box").classList.toggle("pending", items.length > 0);
    const list = $("queue-list");
    list.replaceChildren();
    const names = Object.fromEntries(((worklist && worklist.rows) || []).map((p) => [p.id, p.name]));
    for (const item of items) {
      const li = document.createElement("li");
      const what = item.type === "visit" ? `${t("visit")}: ${names[item.body.person_id] || item.body.person_id}` : `${t("photo")} (${item.kind})`;
      li.textContent = item.error ? `${what} — ${t("refused")}: ${item.error}` : what;
      if (item.error) li.className = "error";
      list.append(li);
    }
  }

  function setNet() {
    $("net").textContent = navigator.onLine ? t("online") : t("offline");
    $("net").classList.toggle("offline", !navigator.onLine);
  }

  async function send(item, token) {
    if (item.type === "visit") {
      return fetch(`${API}visits`, {
        method: "POST",
        headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
        body: JSON.stringify(item.body),
      });
    }
    const form = new FormData();
    form.append("uuid", item.id);
    form.append("kind", item.kind);
    form.append("file", item.blob, item.name);
    return fetch(`${API}visits/${item.visit}/attachments`, {
      method: "POST", headers: { Authorization: `Bearer ${token}` }, body: form,
    });
  }

  async function flush() {
    if (sending) return;
    sending = true;
    try {
      const token = await ensureToken();
      if (!token) return;
      const items = (await queueAll()).sort((a, b) => a.order - b.order);
      const waiting = new Set(items.filter((i) => i.type === "visit").map((i) => i.id));
      for (const item of items) {
        if (item.type === "attachment" && waiting.has(item.visit)) continue; // its visit goes first
        let response;
        try {
          response = await send(item, token);
        } catch (error) {
          break; // offline: everything stays queued
        }
        if (response.ok) {
          await queueDelete(item.id);
          if (item.type === "visit") waiting.delete(item.id);
        } else if (response.status === 401) {
          await metaSet("token", null);
          flash(t("login"), true);
          break;
        } else {
          let message = String(response.status);
          try { message = (await response.json()).error.message; } catch (e) { /* not JSON */ }
          await queuePut({ ...item, tries: item.tries + 1, error: message });
        }
      }
    } finally {
      sending = false;
      await renderQueue();
    }
  }

  // -- start -------------------------------------------------------------------------------------------------
  async function start() {
    const owner = await metaGet("user");
    if (owner && owner !== app.dataset.user) {
      // Another officer's worklist and token on this phone: never show them to this one.
      await tx("meta", "readwrite", (s) => s.clear());
      await tx("queue", "readwrite", (s) => s.clear());
    }
    await metaSet("user", app.dataset.user);
    worklist = (await metaGet("worklist")) || null;
    done = (await metaGet("done")) || {};
    renderPeople();
    setNet();
    await renderQueue();
    if ("serviceWorker" in navigator) {
      navigator.serviceWorker.register(app.dataset.sw, { scope: "/fieldwork/" }).catch(() => {});
    }
    if ("caches" in window) {
      // The page and its scripts and styles, so that it opens with no network at all.
      // A Set: addAll refuses the whole list when one URL is in it twice.
      const assets = [...new Set([location.pathname, ...[...document.querySelectorAll("script[src], link[rel=stylesheet]")].map((el) => el.src || el.href)])];
      caches.open("ansinh-survey-v1").then((cache) => cache.addAll(assets)).catch(() => {});
    }
    if (navigator.onLine) ensureToken().then(() => flush());
  }

  document.addEventListener("click", (event) => {
    const button = event.target.closest("button");
    if (!button || !app.contains(button)) return;
    if (button.dataset.set !== undefined) applySet(button.dataset.set);
    if (button.dataset.go) show(button.dataset.go);
    if (button.dataset.action && actions[button.dataset.action]) actions[button.dataset.action]();
  });
  document.querySelectorAll("input[name=reason]").forEach((radio) => radio.addEventListener("change", () => {
    const moved = radio.value === "moved_away" || radio.value === "died";
    $("new-commune-label").hidden = radio.value !== "moved_away";
    $("follow-up-label").hidden = moved;
  }));
  $("back").addEventListener("click", () => show(history.pop() || "list", false));
  $("cancel").addEventListener("click", () => { answers = {}; files = []; history = []; show("list", false); });
  $("search").addEventListener("input", renderPeople);
  if ($("download")) $("download").addEventListener("click", download);
  $("send-now").addEventListener("click", flush);
  $("qr-photo").addEventListener("change", async () => {
    const file = $("qr-photo").files[0];
    if (!file) return;
    files = files.filter((f) => f.kind !== "account");
    files.push({ kind: "account", blob: file });
    if (window.AnsinhQR) {
      try { useQR(await window.AnsinhQR.scanFile(file)); } catch (e) { $("qr-result").textContent = t("qrBad"); }
    }
  });
  if (window.AnsinhQR && navigator.mediaDevices) {
    $("scan-camera").hidden = false;
    $("scan-camera").addEventListener("click", async () => {
      const video = $("qr-video");
      video.hidden = false;
      try { useQR(await window.AnsinhQR.scanCamera(video)); } catch (e) { $("qr-result").textContent = t("qrBad"); }
      video.hidden = true;
    });
  }
  window.addEventListener("online", () => { setNet(); flush(); });
  window.addEventListener("offline", setNet);
  setInterval(() => { if (navigator.onLine) flush(); }, 30000);
  window.AnsinhSurvey = { flush, readVietQR, queueAll };
  start();
})();
