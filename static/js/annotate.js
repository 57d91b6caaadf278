// Selecting words in a section's text offers "Kommentieren" and "Änderung vorschlagen": the
// choice fills the paragraph's own form (which also works without this script) with the
// selected words and a little text before and after them, then moves the focus there.
const CONTEXT = 32;

const squash = (text) => text.replace(/\s+/g, " ");

function paragraphOf(node, root) {
  const element = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
  const paragraph = element && element.closest(".block-text > [id]");
  return paragraph && root.contains(paragraph) ? paragraph : null;
}

function textAround(paragraph, range) {
  const before = document.createRange();
  before.setStart(paragraph, 0);
  before.setEnd(range.startContainer, range.startOffset);
  const after = document.createRange();
  after.setStart(range.endContainer, range.endOffset);
  after.setEnd(paragraph, paragraph.childNodes.length);
  const raw = range.toString();
  const lead = raw.match(/^\s*/)[0];
  const trail = raw.match(/\s*$/)[0];
  const prefix = squash(before.toString() + lead).replace(/^ /, "");
  // The permalink sign at the end of a paragraph is not part of its text.
  const suffix = squash(trail + after.toString()).replace(/\s*¶\s*$/, "");
  return {
    quote: squash(raw).trim(),
    prefix: prefix.slice(-CONTEXT),
    suffix: suffix.slice(0, CONTEXT),
  };
}

function fill(form, values) {
  for (const [name, value] of Object.entries(values)) {
    const field = form.elements.namedItem(name);
    if (field) field.value = value;
  }
}

function setUp(root) {
  const tools = root.querySelector(".selection-tools");
  if (!tools) return;
  let chosen = null;

  const hide = () => {
    tools.hidden = true;
  };

  const show = () => {
    const selection = document.getSelection();
    if (!selection || selection.isCollapsed || selection.rangeCount === 0) return;
    const range = selection.getRangeAt(0);
    const paragraph = paragraphOf(range.startContainer, root);
    if (!paragraph || paragraphOf(range.endContainer, root) !== paragraph) return;
    const found = textAround(paragraph, range);
    if (!found.quote) return;
    chosen = { anchor: paragraph.id, ...found };
    paragraph.closest(".block-text").append(tools);
    tools.hidden = false;
  };

  let timer = null;
  document.addEventListener("selectionchange", () => {
    clearTimeout(timer);
    timer = setTimeout(show, 250);
  });

  tools.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-act]");
    if (!button || !chosen) return;
    const details = document.getElementById(`anmerken-${chosen.anchor}`);
    if (!details) return;
    details.open = true;
    const values = { quote: chosen.quote, prefix: chosen.prefix, suffix: chosen.suffix };
    let focus;
    if (button.dataset.act === "comment") {
      const form = details.querySelector("form.annotate-comment");
      if (!form) return;
      fill(form, values);
      focus = form.elements.namedItem("body");
    } else {
      const form = details.querySelector("form.annotate-suggestion");
      if (!form) return;
      fill(form, { ...values, replacement: chosen.quote });
      focus = form.elements.namedItem("replacement");
    }
    hide();
    focus.focus();
    if (focus.select) focus.select();
  });

  root.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && !tools.hidden) {
      hide();
    }
  });
}

for (const root of document.querySelectorAll("[data-annotate]")) {
  setUp(root);
}
