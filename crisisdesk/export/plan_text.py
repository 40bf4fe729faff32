"""The crisis plan as HTML (a page to open in a browser and print) and as Markdown.

Every text of the plan is the owner's (or came in a shared plan file): it is escaped, so a
``<script>`` in an item is shown as text and never runs, and Markdown characters in an item
never turn it into a link or a heading.
"""

from __future__ import annotations

import html
import re

from crisisdesk.domain import PlanSectionRole
from crisisdesk.export.plan_words import TitleBlock, meta_text, section_roles
from crisisdesk.store.plans import REFERENCE_ROLES, Entry, PlanDoc

_CSS = """
body { font-family: "DejaVu Sans", Arial, Helvetica, sans-serif; color: #141414;
       max-width: 46em; margin: 2em auto; padding: 0 1em; line-height: 1.4; }
.business { text-transform: uppercase; color: #5f5f5f; font-weight: bold; font-size: .9em; }
h1 { margin: .1em 0; } .printed, .meta, .hint { color: #5f5f5f; font-size: .85em; }
h2 { border-bottom: 1.5px solid #141414; padding-bottom: .15em; margin-top: 1.6em; }
ul { list-style: none; padding-left: 0; } li { margin: .55em 0; break-inside: avoid; }
li.item { padding-left: 1.9em; text-indent: -1.9em; } li.level1 { margin-left: 1.2em; }
.box { display: inline-block; width: .9em; height: .9em; border: 1.5px solid #141414;
       margin-right: .6em; text-indent: 0; text-align: center; line-height: .9em;
       vertical-align: -.1em; }
.meta, .notes { text-indent: 0; display: block; }
.statement .notes { background: #f3f3f3; border-left: 3px solid #5f5f5f; padding: .5em .8em;
                    font-style: italic; }
li.ref::before { content: "•"; display: inline-block; width: 1.9em; text-indent: 0; }
@media print { body { margin: 0; max-width: none; } h2 { break-after: avoid; } }
"""

# characters Markdown gives a meaning to anywhere in a line (CommonMark backslash escapes);
# "-", "+", "#" and "1." only at the start of a line
_MD_INLINE = re.compile(r"([\\`*_\[\]|~])")
_MD_LINE_START = re.compile(r"^(\s*)([-+#=]|\d+(?=[.)]))")


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _html_item(entry: Entry, role: PlanSectionRole, title: TitleBlock) -> str:
    classes = ["item" if role not in REFERENCE_ROLES else "ref", f"level{entry.level}"]
    if role is PlanSectionRole.STATEMENTS:
        classes.append("statement")
    mark = ""
    if role not in REFERENCE_ROLES:
        mark = f'<span class="box" role="img" aria-label="{"done" if entry.done else "to do"}">'
        mark += "✓</span>" if entry.done else "</span>"
    text = f"<strong>{_esc(entry.text)}</strong>" if role in REFERENCE_ROLES else _esc(entry.text)
    meta = meta_text(entry, title.active_since) if role not in REFERENCE_ROLES else ""
    if role is PlanSectionRole.CONTACTS:
        meta = f"Name: {entry.owner or '____________________'}"
    parts = [f'<li class="{" ".join(classes)}">{mark}{text}']
    if meta:
        parts.append(f'<span class="meta">{_esc(meta)}</span>')
    if entry.notes:
        notes = "<br>".join(_esc(line) for line in entry.notes.splitlines())
        parts.append(f'<span class="notes">{notes}</span>')
    return "".join(parts) + "</li>"


def to_html(doc: PlanDoc, title: TitleBlock) -> str:
    """A standalone HTML page of the plan (no scripts, no outside files)."""
    business, name, printed = title.lines(doc.name)
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{_esc(name)}</title><style>{_CSS}</style></head><body>",
        f'<div class="business">{_esc(business)}</div>' if business else "",
        f"<h1>{_esc(name)}</h1>",
        f'<div class="printed">{_esc(printed)}</div>',
        '<p class="hint">Tick each box when it is done and write who did it and when.</p>',
    ]
    open_list = False
    for entry, role in zip(doc.entries, section_roles(doc), strict=True):
        if entry.is_section:
            if open_list:
                out.append("</ul>")
            out.append(f"<h2>{_esc(entry.text)}</h2><ul>")
            open_list = True
            continue
        if not open_list:
            out.append("<ul>")
            open_list = True
        out.append(_html_item(entry, role, title))
    if open_list:
        out.append("</ul>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def md_escape(text: str) -> str:
    """*text* as literal Markdown: special characters backslashed, HTML made harmless."""
    escaped = _MD_INLINE.sub(r"\\\1", text)
    escaped = escaped.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    match = _MD_LINE_START.match(escaped)
    if match:
        lead, mark = match.groups()
        rest = escaped[match.end() :]
        escaped = f"{lead}\\{mark}{rest}" if not mark[0].isdigit() else f"{lead}{mark}\\{rest}"
    return escaped


def to_markdown(doc: PlanDoc, title: TitleBlock) -> str:
    """The plan as Markdown with task-list boxes (``- [ ]`` / ``- [x]``)."""
    business, name, printed = title.lines(doc.name)
    by = f"**{md_escape(business)}** · " if business else ""
    lines = [f"# {md_escape(name)}", "", f"{by}{md_escape(printed)}", ""]
    for entry, role in zip(doc.entries, section_roles(doc), strict=True):
        if entry.is_section:
            lines += ["", f"## {md_escape(entry.text)}", ""]
            continue
        meta = meta_text(entry, title.active_since) if role not in REFERENCE_ROLES else ""
        if role is PlanSectionRole.CONTACTS:
            meta = f"Name: {entry.owner or '…'}"
        after = f" — *{md_escape(meta)}*" if meta else ""
        if role in REFERENCE_ROLES:
            lines.append(f"- **{md_escape(entry.text)}**{after}")
        else:
            lines.append(f"- [{'x' if entry.done else ' '}] {md_escape(entry.text)}{after}")
        # notes as a quote inside the item: it can follow the item's line directly
        lines += [f"  > {md_escape(note)}" for note in entry.notes.splitlines()]
    return "\n".join(lines).rstrip() + "\n"
