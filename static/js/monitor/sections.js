// The monitor's sections (one per group, or one for all): each draws only its first tasks, more
// on request, and only once it comes near the screen; a redraw touches only what changed.
import {el} from "../shared/dom.js";
import {number, t} from "../shared/i18n.js";
import {flash} from "../shared/ui.js";
import {drawCard, newCard} from "./card.js";
import {COLUMNS, drawRow, newRow} from "./row.js";

const NEAR = "800px";  // a section this close to the screen is drawn

/** Tasks drawn at first (and per "Show more") in a lone section and in each group, from the
 * page size the server gives (monitor_page_size: 60 cards, 150 rows; 12 and 40 in a group). */
function pages(size) {
  return {lone: {cards: size, table: Math.round(size * 2.5)},
          group: {cards: Math.max(1, Math.round(size / 5)), table: Math.max(1, Math.round(size * 2 / 3))}};
}

export class Sections {
  constructor(root, template, onChange) {
    this.root = root;
    this.pages = pages(Number(root.dataset.pageSize) || 60);
    this.template = template;
    this.onChange = onChange;  // something asked for a redraw (scrolled near, show more, toggle)
    this.sections = new Map();  // key -> section
    this.items = new Map();     // task id -> card or row, whichever the view shows
    this.near = new IntersectionObserver((entries) => this.approached(entries), {rootMargin: NEAR});
  }

  /** Start over for another view kind or grouping. */
  reset(kind, grouped) {
    this.kind = kind;
    this.grouped = grouped;
    this.near.disconnect();
    this.sections.clear();
    this.items.clear();
    this.placed = null;
    this.root.replaceChildren();
    this.root.dataset.view = kind;
  }

  /** Show `model` (sections with their ids); `draw(item, id)` brings one item up to date and
   * answers whether it should flash. */
  show(model, draw) {
    if (model !== this.placed) this.place(model);
    for (const wanted of model) this.fill(this.sections.get(wanted.key), wanted, draw);
  }

  /** Put the sections in the model's order, making and removing what changed. */
  place(model) {
    this.placed = model;
    const keys = new Set(model.map((s) => s.key));
    for (const [key, section] of this.sections) {
      if (!keys.has(key)) {
        section.el.remove();
        this.sections.delete(key);
      }
    }
    let previous = null;
    for (const wanted of model) {
      const section = this.sections.get(wanted.key) || this.create(wanted);
      const placed = previous ? previous.nextElementSibling : this.root.firstElementChild;
      if (placed !== section.el) {
        if (previous) previous.after(section.el); else this.root.prepend(section.el);
      }
      previous = section.el;
    }
  }

  create(wanted) {
    const node = el("section", {class: "group", data: {key: wanted.key}});
    const section = {el: node, key: wanted.key, shown: [], limit: this.page(),
                     open: true, near: !this.grouped, text: {}};
    if (this.grouped) node.append(this.header(section));
    section.body = this.kind === "table" ? this.table(node) : node.appendChild(el("div", {class: "grid"}));
    section.more = el("button", {type: "button", class: "btn more", hidden: true, on: {click: () => {
      section.limit += this.page();
      this.onChange();
    }}});
    node.append(section.more);
    this.sections.set(wanted.key, section);
    node.section = section;
    this.near.observe(node);
    return section;
  }

  header(section) {
    section.label = el("span");
    section.count = el("span", {class: "count"});
    const toggle = section.toggle = el("button", {type: "button", attrs: {"aria-expanded": "true"}, on: {click: () => {
      section.open = !section.open;
      toggle.setAttribute("aria-expanded", String(section.open));
      this.onChange();
    }}}, section.label, section.count);
    return el("h2", {class: "group-head"}, toggle);
  }

  table(node) {
    const table = el("table", {class: "task-table"});
    table.createTHead().insertRow().append(...COLUMNS.map((name) => el("th", {scope: "col"}, t(name))));
    node.append(table);
    return table.createTBody();
  }

  fill(section, wanted, draw) {
    if (!section.near && section.size === wanted.ids.length) return;  // off screen: only its count
    section.size = wanted.ids.length;
    if (section.label) {
      setText(section, "label", section.label, wanted.label);
      setText(section, "count", section.count, String(wanted.ids.length));
    }
    const ids = section.open && section.near ? wanted.ids.slice(0, section.limit) : [];
    const nodes = ids.map((id) => this.item(id, draw));
    if (!sameIds(section.shown, ids)) {
      section.body.replaceChildren(...nodes);
      section.shown = ids;
    }
    const left = section.open ? wanted.ids.length - ids.length : 0;
    const hidden = !(left > 0 && section.near);
    if (section.more.hidden !== hidden) section.more.hidden = hidden;  // a write is a mutation
    setText(section, "more", section.more, t("Show {count} more ({left} not shown)",
      {count: number(Math.min(left, this.page())), left: number(left)}));
  }

  /** Tasks a section of this view draws at first, and adds per "Show more". */
  page() {
    return (this.grouped ? this.pages.group : this.pages.lone)[this.kind];
  }

  item(id, draw) {
    let item = this.items.get(id);
    if (!item) {
      item = this.kind === "table" ? newRow(id) : newCard(this.template, id);
      item.draw = this.kind === "table" ? drawRow : drawCard;
      item.showsUpdates = this.kind !== "table";  // a row has no list of updates to load
      this.items.set(id, item);
    }
    if (draw(item, id)) flash(item.root);
    return item.root;
  }

  /** Whether a task is drawn now. */
  drawn(id) {
    const item = this.items.get(id);
    return Boolean(item && item.root.isConnected);
  }

  approached(entries) {
    let changed = false;
    for (const entry of entries) {
      const section = entry.target.section;
      if (entry.isIntersecting && section && !section.near) changed = section.near = true;
    }
    if (changed) this.onChange();
  }
}

function setText(section, key, el, value) {
  if (section.text[key] === value) return;
  section.text[key] = value;
  el.textContent = value;
}

function sameIds(a, b) {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}
