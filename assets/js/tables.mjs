// Wide tables on a narrow screen (issue 20; WCAG 1.4.10 reflow, 2.1.1 keyboard): each table sits in a box
// that scrolls sideways instead of widening the page. A box whose table is wider than it becomes a
// region a keyboard can focus and scroll, named by the table's caption (or the heading before it); a
// table that fits is left as it is, so the page gains no landmarks it does not need. Boxes written in
// the template with role="region" (the audit log) are left alone: they work without JavaScript too.

const BOX = "app-table-scroll";
let captions = 0;

function nameFor(table) {
  const caption = table.querySelector("caption");
  if (caption && caption.textContent.trim()) {
    if (!caption.id) caption.id = `app-table-caption-${(captions += 1)}`;
    return { labelledby: caption.id };
  }
  const named = table.getAttribute("aria-labelledby");
  if (named) return { labelledby: named };
  return { label: "Table" };
}

function update(box) {
  if (box.dataset.appStatic !== undefined) return;
  const table = box.querySelector("table");
  if (!table) return;
  if (box.scrollWidth > box.clientWidth + 1) {
    const name = nameFor(table);
    box.setAttribute("role", "region");
    box.tabIndex = 0;
    if (name.labelledby) box.setAttribute("aria-labelledby", name.labelledby);
    else box.setAttribute("aria-label", name.label);
  } else {
    box.removeAttribute("role");
    box.removeAttribute("tabindex");
    box.removeAttribute("aria-labelledby");
    box.removeAttribute("aria-label");
  }
}

export function scrollableTables() {
  const observer = "ResizeObserver" in window ? new ResizeObserver((entries) => entries.forEach((e) => update(e.target))) : null;
  for (const table of document.querySelectorAll("main table.govuk-table")) {
    let box = table.parentElement;
    if (!box.classList.contains(BOX)) {
      box = document.createElement("div");
      box.className = BOX;
      table.before(box);
      box.append(table);
    } else if (box.getAttribute("role") === "region") {
      box.dataset.appStatic = "";
    }
    update(box);
    if (observer) observer.observe(box);
  }
}
