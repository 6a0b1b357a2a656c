// Wide tables on a narrow screen (issue 20; WCAG 1.4.10 reflow, 2.1.1 keyboard): a table wider than its
// place goes into a box that scrolls sideways instead of widening the page, and the box becomes a region
// a keyboard can focus and scroll, named by the table's caption (or the table's own label); while the
// table fits, the box is a plain box, so the page gains no landmarks it does not need. Boxes written in
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

function wrap(table, observer) {
  const box = document.createElement("div");
  box.className = BOX;
  box.dataset.appChecked = "";
  table.before(box);
  box.append(table);
  update(box);
  if (observer) observer.observe(box);
}

// Only a table wider than its place is wrapped, so pages where every table fits keep their markup as
// written.
export function scrollableTables() {
  const observer =
    "ResizeObserver" in window ? new ResizeObserver((entries) => entries.forEach((e) => update(e.target))) : null;
  const check = () => {
    for (const table of document.querySelectorAll("main table.govuk-table")) {
      const parent = table.parentElement;
      if (parent.classList.contains(BOX)) {
        if (parent.getAttribute("role") === "region" && parent.dataset.appChecked === undefined) {
          parent.dataset.appStatic = ""; // written in the template: leave it as it is
        }
        parent.dataset.appChecked = "";
      } else if (table.getBoundingClientRect().width > parent.clientWidth + 1) {
        wrap(table, observer);
      }
    }
  };
  check();
  // Again when the page changes size: the window narrows, or a section opens (the dashboards' accordion).
  let pending = 0;
  const later = () => {
    cancelAnimationFrame(pending);
    pending = requestAnimationFrame(check);
  };
  const main = document.querySelector("main");
  if ("ResizeObserver" in window && main) new ResizeObserver(later).observe(main);
  else window.addEventListener("resize", later);
}
