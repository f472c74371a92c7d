#!/usr/bin/env python3
"""dom_summary.py < DOM: what a test needs to know of the page that headless
Chromium rendered (--dump-dom), as one JSON object: the title, the ids,
the findings (shown or hidden), the timelines, the marks by finding, the
filter boxes, and the popup's state and text.  Standard library only."""
import json
import sys
from html.parser import HTMLParser


class Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.out = {"title": "", "ids": [], "findings": [], "hidden_findings": [],
                    "timelines": [], "marks": {}, "filters_hidden": None, "checkboxes": [],
                    "popup_hidden": None, "popup_text": "", "scripts": 0}
        self.stack = []         # open elements: (tag, is_title, in_popup)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        in_popup = bool(self.stack) and self.stack[-1][2]
        if a.get("id"):
            self.out["ids"].append(a["id"])
        if tag == "article" and "finding" in a.get("class", "").split() and not in_popup:
            (self.out["hidden_findings"] if "hidden" in a else self.out["findings"]).append(a.get("id"))
        if tag == "svg" and "timeline" in a.get("class", "").split():
            self.out["timelines"].append(a.get("data-pid"))
        if tag == "a" and "mark" in a.get("class", "").split():
            f = a.get("data-f")
            self.out["marks"][f] = self.out["marks"].get(f, 0) + 1
        if tag == "form" and a.get("id") == "filters":
            self.out["filters_hidden"] = "hidden" in a
        if tag == "input" and a.get("type") == "checkbox":
            self.out["checkboxes"].append(a.get("value"))
        if tag == "script":
            self.out["scripts"] += 1
        if a.get("id") == "popup":
            self.out["popup_hidden"] = "hidden" in a
            in_popup = True
        if tag in ("input", "meta", "br", "img", "link", "path", "line", "rect"):
            return              # void or self-closed in the dump
        self.stack.append((tag, tag == "title" and not self.stack_has("svg"), in_popup))

    def stack_has(self, tag):
        return any(t == tag for t, _, _ in self.stack)

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        if not self.stack:
            return
        if self.stack[-1][1]:
            self.out["title"] += data
        if self.stack[-1][2]:
            self.out["popup_text"] += data


page = Page()
page.feed(sys.stdin.read())
json.dump(page.out, sys.stdout)
print()
