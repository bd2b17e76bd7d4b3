/* Logging out clears the survey's stored worklist, device token and cached page from this phone.
 *
 * Included in the base layout: on submitting the logout form, answers still waiting to be sent are
 * announced first (they would be lost), then IndexedDB and the survey's caches are deleted.
 */
(function () {
  "use strict";
  if (window.AnsinhLogout) return; // included twice (layout and survey page)
  const DB_NAME = "ansinh-fieldwork";

  function waiting() {
    return new Promise((resolve) => {
      if (!window.indexedDB) { resolve(0); return; }
      const open = indexedDB.open(DB_NAME);
      open.onupgradeneeded = () => { open.transaction.abort(); resolve(0); };
      open.onerror = () => resolve(0);
      open.onsuccess = () => {
        const conn = open.result;
        if (!conn.objectStoreNames.contains("queue")) { conn.close(); resolve(0); return; }
        const count = conn.transaction("queue").objectStore("queue").count();
        count.onsuccess = () => { conn.close(); resolve(count.result); };
        count.onerror = () => { conn.close(); resolve(0); };
      };
    });
  }

  function wipe() {
    const steps = [];
    if (window.indexedDB) {
      steps.push(new Promise((resolve) => {
        const request = indexedDB.deleteDatabase(DB_NAME);
        request.onsuccess = request.onerror = request.onblocked = () => resolve();
      }));
    }
    if (window.caches) {
      steps.push(caches.keys().then((names) => Promise.all(names.filter((n) => n.startsWith("ansinh-survey-")).map((n) => caches.delete(n)))));
    }
    return Promise.all(steps);
  }

  document.addEventListener("submit", async (event) => {
    const form = event.target;
    if (!form.matches("form.logout") || form.dataset.cleared) return;
    event.preventDefault();
    const count = await waiting();
    const question = form.dataset.unsent || "%s answers are not sent yet and will be lost. Log out anyway?";
    if (count > 0 && !window.confirm(question.replace("%s", count))) return;
    await wipe();
    form.dataset.cleared = "1";
    form.submit();
  });
  window.AnsinhLogout = { wipe };
})();
