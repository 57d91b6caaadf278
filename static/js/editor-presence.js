// The section editor, enhanced: who else has the section open (a heartbeat every 25 s),
// and a warning before saving when a newer revision landed since the page was opened.
// The page works without this script; the server merges and asks in any case.

const HEARTBEAT_MS = 25_000;

const form = document.querySelector("form[data-presence-url]");
const presence = document.getElementById("presence");
const warning = document.getElementById("newer-revision");

if (form && presence && warning) {
  const url = form.dataset.presenceUrl;
  const base = Number(form.dataset.baseRevision) || 0;
  const token = form.querySelector("input[name=csrfmiddlewaretoken]")?.value ?? "";
  const time = new Intl.DateTimeFormat(document.documentElement.lang || "de", {
    hour: "2-digit",
    minute: "2-digit",
  });
  let newer = 0;
  let warned = false;

  const showEditors = (editors) => {
    if (!editors.length) {
      presence.hidden = true;
      presence.textContent = "";
      return;
    }
    const names = editors.map(
      (editor) => `${editor.name} (${presence.dataset.since} ${time.format(new Date(editor.since))})`,
    );
    presence.textContent = `${presence.dataset.label} ${names.join(", ")}`;
    presence.hidden = false;
  };

  const showNewer = (latest) => {
    if (!latest || latest <= base || latest === newer) return;
    newer = latest;
    warning.textContent = "";
    const text = document.createElement("p");
    text.textContent = warning.dataset.template.replace("{number}", String(latest));
    warning.append(text);
    if (base) {
      const link = document.createElement("a");
      link.href = `${warning.dataset.diffUrl}?von=${base}&zu=${latest}`;
      link.target = "_blank";
      link.rel = "noopener";
      link.textContent = warning.dataset.diffLabel;
      const line = document.createElement("p");
      line.append(link);
      warning.append(line);
    }
    warning.hidden = false;
  };

  const beat = async () => {
    try {
      const response = await fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": token, Accept: "application/json" },
      });
      if (!response.ok) return;
      const answer = await response.json();
      showEditors(answer.editors);
      showNewer(answer.latest_revision);
    } catch {
      // Offline for a moment: the next heartbeat tries again.
    }
  };

  let checked = false;
  form.addEventListener("submit", async (event) => {
    const submitter = event.submitter;
    if (checked || (submitter && submitter.name !== "save")) return;
    event.preventDefault();
    await beat();
    if (newer && !warned) {
      warned = true;
      const confirm = document.createElement("p");
      confirm.textContent = warning.dataset.confirm;
      warning.append(confirm);
      warning.focus();
      return;
    }
    checked = true;
    form.requestSubmit(submitter);
  });

  window.setInterval(beat, HEARTBEAT_MS);
  // Back in this tab after a while: who is here now, and did anything land?
  window.addEventListener("focus", beat);
}
