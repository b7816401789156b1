#!/usr/bin/env python3
"""Reads every machine output of a docket build with readers docket did
not write, and compares each value with the record, page, configuration
or commit it came from (as docs/data.md and docs/history.md say):

  data/vendors.json, data/datapackage.json    Python's json
  data/vendors.csv, data/actions.csv          Python's csv, and a reader
                                              that splits at ';' or tab
  timeline/deadlines.ics                      python3-icalendar, and
                                              RFC 5545 read here
  changes/feed.xml, vendors/<id>/feed.xml     python3-feedparser, expat,
                                              xmllint and atom.rng
  sitemap.xml                                 expat, xmllint and
                                              sitemap.rng
  search-index.json, assets/search-index.js   Python's json, node
  changes/changes.json, build.json            Python's json, git
  robots.txt

The records are read with Python's expat (xml.etree), the configuration
with PyYAML, the history with git itself; names are ordered with PyICU.

    check.py SOURCE OUT [--no-history]

Prints each difference and exits 1 when there is one.
"""
import csv
import datetime
import glob
import html.parser
import io
import json
import os
import re
import subprocess
import sys
import unicodedata
import urllib.parse
import xml.etree.ElementTree as ET

import feedparser
import icalendar
import icu
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
ATOM_RNG = os.path.join(ROOT, "tests", "history", "atom.rng")
SITEMAP_RNG = os.path.join(ROOT, "tests", "browser", "sitemap.rng")
ATOM = "{http://www.w3.org/2005/Atom}"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"

STATUS = {"approved": "Approved", "under-review": "Under review",
          "restricted": "Restricted", "banned": "Banned", "lifted": "Lifted"}
TYPES = ["directive", "law", "regulation", "delisting", "listing",
         "hearing", "investigation", "guidance", "sanction", "lifting"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July",
          "August", "September", "October", "November", "December"]
VENDOR_COLS = ["id", "name", "aliases", "country_code", "country",
               "website", "status", "products", "actions",
               "first_action_date", "latest_action_date", "latest_action",
               "last_changed", "url"]
ACTION_COLS = ["vendor_id", "vendor_name", "action_id", "type", "date",
               "authority", "title", "scope", "deadline", "deadline_days",
               "sources", "url"]

failures = []


def fail(where, msg):
    failures.append("%s: %s" % (where, msg))


def same(where, what, got, want):
    if got != want:
        fail(where, "%s: %r, the source says %r" % (what, got, want))


# ---- the source, read independently ----

def fold_url(s):
    """A <website>: XML white space runs made one space, bytes kept."""
    return " ".join(re.split(r"[ \t\n\r]+", s)).strip(" ")


def fold(s):
    """A name-like element's text: as fold_url(), in Unicode
    Normalization Form C."""
    return unicodedata.normalize("NFC", fold_url(s))


def attr(e, name):
    """A name's attribute (authority, publisher) in NFC, None when
    absent; URLs and keys are kept as they are."""
    v = e.get(name)
    return unicodedata.normalize("NFC", v) if v is not None else None


def dedent(s):
    """Markdown in a record: blank lines around it and the common
    indentation of its lines removed, each line ending in a newline (a
    CR before one is the CRLF of the line ending)."""
    lines = s.split("\n")

    def blank(ln):
        return ln.strip(" \t\r") == ""
    body = [i for i, ln in enumerate(lines) if not blank(ln)]
    if not body:
        return ""
    lines = lines[body[0]:body[-1] + 1]
    indent = min(len(ln) - len(ln.lstrip(" \t"))
                 for ln in lines if not blank(ln))
    out = []
    for ln in lines:
        ln = "" if blank(ln) else ln[indent:]
        if ln.endswith("\r"):
            ln = ln[:-1]
        out.append(ln + "\n")
    return "".join(out)


def pdate(s):
    return datetime.date.fromisoformat(s) if s is not None else None


def iso(d):
    return d.isoformat() if d is not None else None


def fmt_date(fmt, d):
    out, i = [], 0
    while i < len(fmt):
        if fmt[i] != "%":
            out.append(fmt[i])
            i += 1
            continue
        spec = fmt[i + 1:i + 3] if fmt[i + 1] == "-" else fmt[i + 1]
        i += 1 + len(spec)
        out.append({"d": "%02d" % d.day, "-d": str(d.day),
                    "m": "%02d" % d.month, "-m": str(d.month),
                    "B": MONTHS[d.month - 1], "b": MONTHS[d.month - 1][:3],
                    "Y": "%04d" % d.year}[spec])
    return "".join(out)


def read_record(path):
    root = ET.parse(path).getroot()
    r = {"id": root.get("id"), "draft": root.get("draft") == "true",
         "aliases": [], "products": [], "actions": [], "responses": [],
         "website": None, "note": None, "path": path}
    for c in root:
        t = c.text or ""
        if c.tag == "name":
            r["name"] = fold(t)
        elif c.tag == "alias":
            r["aliases"].append(fold(t))
        elif c.tag == "country":
            r["country_code"] = c.get("code")
            r["country"] = fold(t)
        elif c.tag == "website":
            r["website"] = fold_url(t)
        elif c.tag == "status":
            r["status"] = fold(t)
        elif c.tag == "products":
            r["products"] = [fold(p.text or "") for p in c
                             if p.tag == "product"]
        elif c.tag == "summary":
            r["summary"] = dedent(t)
        elif c.tag == "note":
            r["note"] = dedent(t)
        elif c.tag == "response":
            r["responses"].append({"date": c.get("date"),
                                   "href": c.get("href"),
                                   "text": dedent(t)})
        elif c.tag == "action":
            a = {"id": c.get("id"), "type": c.get("type"),
                 "date": pdate(c.get("date")),
                 "authority": attr(c, "authority"), "scope": None,
                 "description": None, "sources": []}
            days = c.get("deadline-days")
            a["deadline_days"] = int(days) if days is not None else None
            if days is not None:
                a["deadline"] = a["date"] + datetime.timedelta(int(days))
            else:
                a["deadline"] = pdate(c.get("deadline"))
            for e in c:
                if e.tag == "title":
                    a["title"] = fold(e.text or "")
                elif e.tag == "scope":
                    a["scope"] = fold(e.text or "")
                elif e.tag == "description":
                    a["description"] = dedent(e.text or "")
                elif e.tag == "source":
                    a["sources"].append({
                        "href": e.get("href"),
                        "publisher": attr(e, "publisher"),
                        "date": e.get("date"),
                        "accessed": e.get("accessed"),
                        "archived": e.get("archived")})
            r["actions"].append(a)
    return r


def git(src, *args, env=None):
    p = subprocess.run(("git", "-C", src) + args, capture_output=True,
                       env=env)
    return p.stdout.decode("utf-8", "replace") if p.returncode == 0 else None



def collator(language):
    """How docket orders names: the Unicode Collation Algorithm, in the
    order of the site's language (ICU's root order for a tag it does not
    know), NFC and NFD forms equal."""
    try:
        loc = icu.Locale.forLanguageTag(language or "en")
    except icu.ICUError:
        loc = icu.Locale.getRoot()
    c = icu.Collator.createInstance(loc)
    c.setAttribute(icu.UCollAttribute.NORMALIZATION_MODE,
                   icu.UCollAttributeValue.ON)
    return c


class Source:
    def __init__(self, src, history):
        self.src = src
        with open(os.path.join(src, "docket.yml"), encoding="utf-8") as f:
            self.cfg = yaml.safe_load(f)
        base = self.cfg.get("base_url")
        if base is not None and not base.endswith("/"):
            base += "/"
        self.base = base
        self.date_format = self.cfg.get("date_format", "%-d %B %Y")
        hist = self.cfg.get("history") or {}
        self.tz = hist.get("timezone", "UTC")
        self.records = []
        for p in sorted(glob.glob(os.path.join(src, "content", "vendors",
                                               "*.xml"))):
            r = read_record(p)
            if not r["draft"]:
                self.records.append(r)
        coll = collator(self.cfg.get("language"))
        self.records.sort(key=lambda r: (coll.getSortKey(r["name"]),
                                         r["name"].encode(),
                                         r["id"].encode()))
        self.by_id = {r["id"]: r for r in self.records}
        self.head = self.head_time = None
        self.history = history and git(src, "rev-parse", "HEAD") is not None
        if self.history:
            self.head = git(src, "rev-parse", "HEAD").strip()
            self.head_time = int(git(src, "log", "-1", "--format=%ct",
                                     "HEAD").strip())
            self.root_commit = git(src, "rev-list", "--max-parents=0",
                                   "HEAD").split()[-1]
            env = dict(os.environ, TZ=self.tz)
            self.commits = {}
            for ln in git(src, "log", "--no-merges", "--format=%H %ad",
                          "--date=format-local:%Y-%m-%d", env=env).split("\n"):
                if ln:
                    h, d = ln.split(" ")
                    self.commits[h] = d

    def path(self, out):
        """A page's path from the site root, as links have it: without
        base_url, to the index.html file, so that the site works from
        disk."""
        return out[:-len("index.html")] if self.base else out

    def link(self, out):
        """A page's link in the data: absolute with base_url."""
        return (self.base or "") + self.path(out)

    def file_dates(self, path):
        env = dict(os.environ, TZ=self.tz)
        rel = os.path.relpath(path, self.src)
        out = git(self.src, "log", "--format=%ad",
                  "--date=format-local:%Y-%m-%d", "--", rel, env=env)
        return set((out or "").split())


def load_json(out, rel):
    try:
        with open(os.path.join(out, rel), "rb") as f:
            raw = f.read()
        return json.loads(raw.decode("utf-8"))
    except (OSError, ValueError) as e:
        fail(rel, "not JSON: %s" % e)
        return None


def check_built_from(rel, j, s):
    same(rel, "commit", j.get("commit"), s.head)
    same(rel, "uncommitted", j.get("uncommitted"), False)
    same(rel, "as_of", j.get("as_of"), None)


# ---- data/vendors.json ----

def check_vendors_json(s, out):
    rel = "data/vendors.json"
    j = load_json(out, rel)
    if j is None:
        return
    same(rel, "title", j.get("title"), s.cfg["title"])
    same(rel, "license", j.get("license"), s.cfg.get("license"))
    check_built_from(rel, j, s)
    vs = j.get("vendors", [])
    same(rel, "vendor ids in order", [v.get("id") for v in vs],
         [r["id"] for r in s.records])
    for v in vs:
        r = s.by_id.get(v.get("id"))
        if r is None:
            continue
        w = "%s: vendor %s" % (rel, r["id"])
        for k in ("name", "aliases", "website", "status", "products",
                  "summary", "note", "draft"):
            same(w, k, v.get(k), r[k])
        same(w, "country", v.get("country"),
             {"code": r["country_code"], "name": r["country"]})
        same(w, "url", v.get("url"),
             s.link("vendors/%s/index.html" % r["id"]))
        same(w, "responses", v.get("responses"), r["responses"])
        acts = v.get("actions", [])
        same(w, "action ids", [a.get("id") for a in acts],
             [a["id"] for a in r["actions"]])
        for a, ra in zip(acts, r["actions"]):
            aw = "%s action %s" % (w, ra["id"])
            for k in ("type", "authority", "title", "scope", "description",
                      "deadline_days", "sources"):
                same(aw, k, a.get(k), ra[k])
            same(aw, "date", a.get("date"), iso(ra["date"]))
            same(aw, "deadline", a.get("deadline"), iso(ra["deadline"]))
            same(aw, "url", a.get("url"), s.link("vendors/%s/index.html"
                                                 % r["id"]) + "#" + ra["id"])
        lc = v.get("last_changed")
        if not s.history:
            same(w, "last_changed", lc, None)
        elif lc not in s.file_dates(r["path"]):
            fail(w, "last_changed %r is no date of a commit of the record"
                 % lc)


# ---- data/*.csv ----

FORMULA = "=+-@\t\r\n"


def guard(v):
    """What docs/data.md says a CSV field holds for a value."""
    return "'" + v if v and v[0] in FORMULA else v


def split_cells(text):
    """The cells of a CSV text split at ',', ';' and tab, a quote
    starting a quoted cell only at the start of a cell, as spreadsheets
    read it."""
    cells, cur, i, start = [], [], 0, True
    while i < len(text):
        c = text[i]
        if start and c == '"':
            j = i + 1
            while j < len(text):
                if text[j] == '"' and text[j + 1:j + 2] == '"':
                    cur.append('"')
                    j += 2
                elif text[j] == '"':
                    break
                else:
                    cur.append(text[j])
                    j += 1
            i = j + 1
            start = False
            continue
        if c in ",;\t\r\n":
            cells.append("".join(cur))
            cur, start = [], True
        else:
            cur.append(c)
            start = False
        i += 1
    cells.append("".join(cur))
    return cells


def read_csv(out, rel, cols):
    try:
        with open(os.path.join(out, rel), "rb") as f:
            raw = f.read()
        text = raw.decode("utf-8")
    except (OSError, ValueError) as e:
        fail(rel, "unreadable: %s" % e)
        return []
    rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    if not rows or rows[0] != cols:
        fail(rel, "header %r, docs/data.md says %r" % (rows[:1], cols))
        return []
    # Every row ends in CRLF (RFC 4180); a line break inside a quoted
    # field is text.
    quoted = False
    for i, c in enumerate(text):
        if c == '"':
            quoted = not quoted
        elif c == "\n" and not quoted and text[i - 1:i] != "\r":
            fail(rel, "a row ends in LF, not CRLF, at offset %d" % i)
            break
    if not text.endswith("\r\n"):
        fail(rel, "does not end in CRLF")
    for i, row in enumerate(rows):
        if len(row) != len(cols):
            fail(rel, "row %d has %d fields, not %d" % (i, len(row),
                                                        len(cols)))
    # A spreadsheet that splits cells at ';' and tab as well as ',' (the
    # list separator of many locales; LibreOffice's import offers all
    # three) must not see a cell that starts a formula: OWASP's "CSV
    # Injection" asks to mind the separators, not only the first
    # character.
    for cell in split_cells(text):
        if cell.lstrip(" ")[:1] in ("=", "+", "-", "@"):
            fail(rel, "split at ',', ';' and tab too, a cell starts a "
                 "formula: %r" % cell[:40])
    return [dict(zip(cols, row)) for row in rows[1:]]


def csv_date(d):
    return d.isoformat() if d is not None else ""


def check_vendors_csv(s, out):
    rel = "data/vendors.csv"
    rows = read_csv(out, rel, VENDOR_COLS)
    same(rel, "ids in order", [r["id"] for r in rows],
         [r["id"] for r in s.records])
    for row in rows:
        r = s.by_id.get(row["id"])
        if r is None:
            continue
        w = "%s: %s" % (rel, r["id"])
        acts = r["actions"]
        first = min(acts, key=lambda a: a["date"]) if acts else None
        latest = None
        for a in acts:
            if latest is None or a["date"] >= latest["date"]:
                latest = a
        want = {
            "id": r["id"], "name": r["name"],
            "aliases": "; ".join(r["aliases"]),
            "country_code": r["country_code"], "country": r["country"],
            "website": r["website"] or "", "status": r["status"],
            "products": "; ".join(r["products"]),
            "actions": str(len(acts)),
            "first_action_date": csv_date(first["date"] if first else None),
            "latest_action_date": csv_date(latest["date"] if latest
                                           else None),
            "latest_action": latest["title"] if latest else "",
            "url": s.link("vendors/%s/index.html" % r["id"]),
        }
        for k, v in want.items():
            same(w, k, row[k], guard(v))
        lc = row["last_changed"]
        if not s.history:
            same(w, "last_changed", lc, "")
        elif lc not in s.file_dates(r["path"]):
            fail(w, "last_changed %r is no date of a commit of the record"
                 % lc)


def check_actions_csv(s, out):
    rel = "data/actions.csv"
    rows = read_csv(out, rel, ACTION_COLS)
    want_rows = []
    for r in s.records:
        for a in r["actions"]:
            want_rows.append({
                "vendor_id": r["id"], "vendor_name": r["name"],
                "action_id": a["id"], "type": a["type"],
                "date": csv_date(a["date"]), "authority": a["authority"],
                "title": a["title"], "scope": a["scope"] or "",
                "deadline": csv_date(a["deadline"]),
                "deadline_days": "" if a["deadline_days"] is None
                else str(a["deadline_days"]),
                "sources": " ".join(x["href"] for x in a["sources"]),
                "url": s.link("vendors/%s/index.html" % r["id"]) + "#"
                + a["id"]})
    same(rel, "rows", len(rows), len(want_rows))
    for row, want in zip(rows, want_rows):
        w = "%s: %s#%s" % (rel, want["vendor_id"], want["action_id"])
        for k, v in want.items():
            same(w, k, row[k], guard(v))


def check_datapackage(s, out):
    rel = "data/datapackage.json"
    j = load_json(out, rel)
    if j is None:
        return
    check_built_from(rel, j, s)
    lic = s.cfg.get("license")
    if lic is not None:
        same(rel, "licenses", j.get("licenses"),
             [{"name": lic.replace(" ", "-"), "title": lic}])
    res = {x["name"]: x for x in j.get("resources", [])}
    for name, cols in (("vendors", VENDOR_COLS), ("actions", ACTION_COLS)):
        x = res.get(name, {})
        same(rel, name + " path", x.get("path"), name + ".csv")
        same(rel, name + " columns",
             [f["name"] for f in x.get("schema", {}).get("fields", [])],
             cols)


# ---- timeline/deadlines.ics ----

def ics_unescape(v, where):
    out, i = [], 0
    while i < len(v):
        c = v[i]
        if c == "\\":
            n = v[i + 1:i + 2]
            if n in ("\\", ";", ","):
                out.append(n)
            elif n in ("n", "N"):
                out.append("\n")
            else:
                fail(where, "a backslash escapes %r" % n)
            i += 2
            continue
        if c in ";,":
            fail(where, "an unescaped %r in a TEXT value" % c)
        out.append(c)
        i += 1
    return "".join(out)


def ics_text(v):
    """What iCalendar TEXT can hold of a value (docs/data.md): a CR, alone
    or before a LF, is a line break; other control characters, which it
    cannot hold, are spaces."""
    v = v.replace("\r\n", "\n").replace("\r", "\n")
    return re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", " ", v)


def ics_date(d):
    return "%04d%02d%02d" % (d.year, d.month, d.day)


def check_ics(s, out):
    rel = "timeline/deadlines.ics"
    path = os.path.join(out, rel)
    want = [(r, a) for r in s.records for a in r["actions"]
            if a["deadline"] is not None]
    if not os.path.exists(path):
        if want:
            fail(rel, "missing, with %d deadlines" % len(want))
        return
    with open(path, "rb") as f:
        raw = f.read()
    if not raw.endswith(b"\r\n"):
        fail(rel, "does not end in CRLF")
    phys = raw[:-2].split(b"\r\n") if raw.endswith(b"\r\n") else [raw]
    for i, ln in enumerate(phys, 1):
        if b"\n" in ln or b"\r" in ln:
            fail(rel, "line %d: a bare line break" % i)
        if len(ln) > 75:
            fail(rel, "line %d: %d octets, more than 75" % (i, len(ln)))
        try:
            t = ln.decode("utf-8")
        except UnicodeDecodeError:
            fail(rel, "line %d: a UTF-8 character split by folding" % i)
            continue
        if re.search(r"[\x00-\x08\x0a-\x1f\x7f]", t):
            fail(rel, "line %d: a control character RFC 5545 forbids" % i)
    # Unfold (RFC 5545 3.1) and read the content lines.
    text = raw.decode("utf-8", "replace")
    lines = re.sub(r"\r\n[ \t]", "", text).split("\r\n")[:-1]
    events, cur, cal = [], None, {}
    for ln in lines:
        m = re.match(r"([A-Za-z0-9-]+)((?:;[^:]*)?):(.*)\Z", ln, re.S)
        if m is None:
            fail(rel, "not a content line: %r" % ln[:60])
            continue
        name, params, value = m.groups()
        if ln == "BEGIN:VEVENT":
            cur = {}
        elif ln == "END:VEVENT":
            events.append(cur)
            cur = None
        elif cur is not None:
            if name in cur:
                fail(rel, "%s twice in an event" % name)
            cur[name] = (params, value)
        else:
            cal[name] = value
    same(rel, "X-WR-CALNAME",
         ics_unescape(cal.get("X-WR-CALNAME", ""), rel),
         ics_text(s.cfg["title"]) + ": deadlines")
    same(rel, "VERSION", cal.get("VERSION"), "2.0")
    same(rel, "events", len(events), len(want))
    try:
        ical = icalendar.Calendar.from_ical(raw)
        ievents = list(ical.walk("VEVENT"))
    except Exception as e:  # the library's own errors
        fail(rel, "python3-icalendar cannot read it: %s" % e)
        ievents = []
    same(rel, "events read by icalendar", len(ievents), len(want))
    stamp = datetime.datetime.fromtimestamp(
        s.head_time if s.head_time is not None else
        int(os.environ.get("SOURCE_DATE_EPOCH", "0")),
        datetime.timezone.utc)
    root = s.root_commit[:10] if s.history else "register"
    uids = set()
    for ev, iev, (r, a) in zip(events, ievents + [None] * len(events), want):
        w = "%s: %s#%s" % (rel, r["id"], a["id"])
        uid = ev.get("UID", ("", ""))[1]
        same(w, "UID", uid, "%s.%s.deadline@%s.docket" % (r["id"], a["id"],
                                                          root))
        if uid in uids:
            fail(w, "UID %s twice" % uid)
        uids.add(uid)
        same(w, "DTSTAMP", ev.get("DTSTAMP"),
             ("", stamp.strftime("%Y%m%dT%H%M%SZ")))
        same(w, "DTSTART", ev.get("DTSTART"),
             (";VALUE=DATE", ics_date(a["deadline"])))
        # The end is the day after, which a deadline on the last day a
        # DATE can hold does not have: without DTEND, an event on a DATE
        # lasts that day (RFC 5545 3.6.1).
        if a["deadline"] == datetime.date.max:
            same(w, "DTEND", ev.get("DTEND"), None)
        else:
            same(w, "DTEND", ev.get("DTEND"),
                 (";VALUE=DATE",
                  ics_date(a["deadline"] + datetime.timedelta(1))))
        summary = "Deadline: %s (%s)" % (ics_text(a["title"]),
                                         ics_text(r["name"]))
        desc = "%s: %s, %s." % (a["type"].capitalize(),
                                ics_text(a["authority"]),
                                fmt_date(s.date_format, a["date"]))
        if a["deadline_days"] is not None:
            desc += " Deadline %d day%s later." % (
                a["deadline_days"], "" if a["deadline_days"] == 1 else "s")
        if a["scope"] is not None:
            desc += "\nScope: " + ics_text(a["scope"])
        for k, v in (("SUMMARY", summary), ("DESCRIPTION", desc)):
            same(w, k, ics_unescape(ev.get(k, ("", ""))[1], w), v)
            # python3-icalendar 4.0 unescapes with one replace after
            # another, and so misreads "\\\\" before "n", "N", "," or
            # ";" (it reads "\\\\N" as a line break): it is asked only
            # about text without a backslash.
            if iev is not None and "\\" not in v:
                same(w, k + " read by icalendar", str(iev.get(k)), v)
        if s.base is not None:
            same(w, "URL", ev.get("URL", ("", ""))[1],
                 s.link("vendors/%s/index.html" % r["id"]) + "#" + a["id"])
        if iev is not None:
            same(w, "DTSTART read by icalendar", iev.decoded("DTSTART"),
                 a["deadline"])


# ---- Atom feeds ----

def xmllint(rng, path):
    p = subprocess.run(["xmllint", "--noout", "--nonet", "--relaxng", rng,
                        path], capture_output=True, text=True)
    if p.returncode != 0:
        fail(os.path.basename(path), "xmllint --relaxng %s: %s"
             % (os.path.basename(rng), p.stderr.strip()[:500]))


def check_link(s, out, rel, href):
    """A link of a file in the output leads to a file of the output:
    under base_url with it, else relative to the file."""
    if s.base is not None:
        if not href.startswith(s.base):
            fail(rel, "link %r is not under base_url" % href)
            return
        page = href[len(s.base):]
    else:
        page = os.path.normpath(os.path.join(os.path.dirname(rel), href))
    page = urllib.parse.unquote(page.split("#")[0])
    if page.endswith("/") or page in ("", "."):
        page = page.rstrip(".") + "index.html"
    if not os.path.isfile(os.path.join(out, page)):
        fail(rel, "link %r leads to no file of the output" % href)


def check_feed(s, out, rel, vendor):
    path = os.path.join(out, rel)
    try:
        tree = ET.parse(path)
    except ET.ParseError as e:
        fail(rel, "expat: not well-formed XML: %s" % e)
        return
    xmllint(ATOM_RNG, path)
    fp = feedparser.parse(path)
    if fp.bozo:
        fail(rel, "feedparser: %s" % fp.bozo_exception)
    same(rel, "feed title read by feedparser", fp.feed.get("title"),
         tree.getroot().findtext(ATOM + "title"))
    same(rel, "rights (the licence)", fp.feed.get("rights"),
         s.cfg.get("license"))
    title = tree.getroot().findtext(ATOM + "title")
    if vendor is None:
        same(rel, "feed title", title, s.cfg["title"] + ": changes")
    for link in tree.getroot().findall(ATOM + "link"):
        check_link(s, out, rel, link.get("href"))
    entries = tree.getroot().findall(ATOM + "entry")
    if len(entries) > 50:
        fail(rel, "%d entries, more than 50" % len(entries))
    ids = [e.findtext(ATOM + "id") for e in entries]
    if len(set(ids)) != len(ids):
        fail(rel, "entry ids repeat")
    for e, fe in zip(entries, fp.entries):
        eid = e.findtext(ATOM + "id")
        m = re.match(r"tag:docket,\d{4}-\d\d-\d\d:([a-z0-9-]+)/([0-9a-f]{40})"
                     r"\Z", eid or "")
        if m is None:
            fail(rel, "entry id %r is not docket's tag: URI" % eid)
            continue
        if vendor is not None and m.group(1) != vendor:
            fail(rel, "an entry of vendor %s" % m.group(1))
        if s.history and m.group(2) not in s.commits:
            fail(rel, "entry %s: no such commit" % eid)
        same(rel, "entry title read by feedparser", fe.get("title"),
             e.findtext(ATOM + "title"))
        for link in e.findall(ATOM + "link"):
            check_link(s, out, rel, link.get("href"))
        content = e.findtext(ATOM + "content") or ""
        short = m.group(2)[:10]
        if short not in content:
            fail(rel, "entry %s: its content does not name commit %s"
                 % (eid, short))
        if s.history:
            subj = git(s.src, "log", "-1", "--format=%s", m.group(2))
            subj = clean_subject(subj.rstrip("\n"))
            text = html_text(content.split("<p>")[-1])
            if not text.startswith(subj + " ("):
                fail(rel, "entry %s: subject %r, git says %r"
                     % (eid, text, subj))


class TextOf(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text = []

    def handle_data(self, data):
        self.text.append(data)


def html_text(h):
    p = TextOf()
    p.feed(h)
    p.close()
    return "".join(p.text)


def clean_subject(s):
    """docs/history.md: control characters become spaces, bytes that are
    not UTF-8 U+FFFD, bidirectional controls are left out."""
    out = []
    for ch in s:
        if ord(ch) < 0x20 or ord(ch) == 0x7f:
            out.append(" ")
        elif 0x202a <= ord(ch) <= 0x202e or 0x2066 <= ord(ch) <= 0x2069:
            continue
        else:
            out.append(ch)
    return "".join(out)


def check_feeds(s, out):
    if not s.history:
        return
    check_feed(s, out, "changes/feed.xml", None)
    for path in sorted(glob.glob(os.path.join(out, "vendors", "*",
                                              "feed.xml"))):
        vendor = os.path.basename(os.path.dirname(path))
        rel = os.path.relpath(path, out)
        # A renamed record's old address keeps a feed, with the renamed
        # record's entries; its page there is a redirect to the record.
        if vendor not in s.by_id:
            fid = ET.parse(path).getroot().findtext(ATOM + "id") or ""
            to = fid.rsplit("/", 1)[-1]
            if to != vendor and to in s.by_id:
                with open(os.path.join(out, "vendors", vendor,
                                       "index.html"), encoding="utf-8") as f:
                    page = f.read()
                if 'http-equiv="refresh"' not in page or \
                        ("vendors/%s/" % to) not in page:
                    fail(rel, "a feed of %s where no redirect to it is"
                         % to)
                vendor = to
        check_feed(s, out, rel, vendor)


# ---- changes/changes.json and build.json ----

def check_changes_json(s, out):
    rel = "changes/changes.json"
    j = load_json(out, rel)
    if j is None:
        return
    same(rel, "license", j.get("license"), s.cfg.get("license"))
    check_built_from(rel, j, s)
    same(rel, "history", j.get("history"),
         "complete" if s.history else "none")
    for ch in j.get("changes", []):
        c = ch.get("commit")
        if not s.history:
            fail(rel, "a change without history")
        elif c not in s.commits:
            fail(rel, "change of %s: no such commit %r"
                 % (ch.get("vendor"), c))
        else:
            same(rel, "date of commit " + c, ch.get("date"), s.commits[c])
        if set(ch) != {"vendor", "field", "text", "before", "after",
                       "commit", "date"}:
            fail(rel, "change keys %r" % sorted(ch))
        elif s.history and c in s.commits:
            check_change(s, rel, ch)


def record_at(s, rev, vid):
    """The record vid at a revision, read from git, or None."""
    p = subprocess.run(["git", "-C", s.src, "show", "%s:content/vendors/%s.xml"
                        % (rev, vid)], capture_output=True)
    if p.returncode != 0:
        return None
    tmp = io.BytesIO(p.stdout)
    return read_record(tmp)


def check_change(s, rel, ch):
    """A change of a field says what git has before and after it."""
    c, vid, field = ch["commit"], ch["vendor"], ch["field"]
    w = "%s: %s %s in %s" % (rel, vid, field, c[:10])
    if field == "id":
        out = git(s.src, "show", "--format=", "--name-status", "-M", c)
        want = "content/vendors/%s.xml\tcontent/vendors/%s.xml" % (
            ch["before"], ch["after"])
        if want not in out:
            fail(w, "git shows no rename %s → %s" % (ch["before"],
                                                     ch["after"]))
        return
    after = record_at(s, c, vid)
    before = record_at(s, c + "^", vid)
    if field == "created":
        if after is not None:
            same(w, "after", ch["after"], after["name"])
    elif field == "removed":
        same(w, "removed, yet in git", after, None)
        if before is not None:
            same(w, "before", ch["before"], before["name"])
    elif field in ("status", "name", "website") and after is not None \
            and before is not None:
        same(w, "before", ch["before"], before[field])
        same(w, "after", ch["after"], after[field])


def check_build_json(s, out):
    rel = "build.json"
    j = load_json(out, rel)
    if j is None:
        return
    check_built_from(rel, j, s)
    same(rel, "records", j.get("records"), len(s.records))
    same(rel, "history", j.get("history"),
         "complete" if s.history else "none")
    if s.history:
        same(rel, "commit_date", j.get("commit_date"),
             datetime.datetime.fromtimestamp(s.head_time,
                                             datetime.timezone.utc)
             .strftime("%Y-%m-%dT%H:%M:%SZ"))


# ---- the search index ----

def index_words(text):
    """docs/data.md: each word once, ASCII letters lower-cased, the ASCII
    punctuation around it cut."""
    punct = "".join(chr(c) for c in range(0x21, 0x7f)
                    if not chr(c).isalnum())
    words = []
    for w in re.split(r"[ \t\n\r]+", text):
        w = w.strip(punct)
        w = "".join(c.lower() if "A" <= c <= "Z" else c for c in w)
        if w and w not in words:
            words.append(w)
    return words


def check_search(s, out):
    rel = "search-index.json"
    j = load_json(out, rel)
    if j is None:
        return
    same(rel, "commit", j.get("commit"), s.head)
    with open(os.path.join(out, rel), "rb") as f:
        raw = f.read().decode("utf-8")
    # docs/data.md: each item on a line of its own, which search.js parses
    # alone.
    lines = raw.split("\n")
    for ln in lines[1:-3]:
        try:
            json.loads(ln.rstrip(","))
        except ValueError as e:
            fail(rel, "a line that is not one item: %s: %r" % (e, ln[:60]))
    items = j.get("items", [])
    vend = {i["url"]: i for i in items if i.get("kind") == "vendor"}
    acts = {i["url"]: i for i in items if i.get("kind") == "action"}
    same(rel, "vendor items", len(vend), len(s.records))
    for r in s.records:
        url = s.path("vendors/%s/index.html" % r["id"])
        it = vend.get(url)
        if it is None:
            fail(rel, "no item for vendor %s" % r["id"])
            continue
        w = "%s: vendor %s" % (rel, r["id"])
        same(w, "title", it["title"], r["name"])
        same(w, "meta", it["meta"], "%s · %s" % (STATUS[r["status"]],
                                                 r["country"]))
        words = it["text"].split(" ")
        for x in index_words(" ".join(r["aliases"] + r["products"])):
            if x not in words:
                fail(w, "the word %r of an alias or product is not searched"
                     % x)
        for a in r["actions"]:
            ia = acts.get(url + "#" + a["id"])
            aw = "%s: action %s#%s" % (rel, r["id"], a["id"])
            if ia is None:
                fail(aw, "no item")
                continue
            same(aw, "title", ia["title"], a["title"])
            same(aw, "meta", ia["meta"], "%s · %s · %s · %s" % (
                a["type"].capitalize(), a["authority"], r["name"],
                fmt_date(s.date_format, a["date"])))
            if a["scope"] is not None:
                words = ia["text"].split(" ")
                for x in index_words(a["scope"]):
                    if x not in words:
                        fail(aw, "the word %r of the scope is not searched"
                             % x)
    # The script: what a browser runs, and the same data.
    js_rel = "assets/search-index.js"
    with open(os.path.join(out, js_rel), "rb") as f:
        js = f.read().decode("utf-8")
    for bad in ("</script", "<!--"):
        if bad in js.lower():
            fail(js_rel, "holds %r, which ends or hides a script that is"
                 " written into a page" % bad)
    for bad in ("\u2028", "\u2029"):
        if bad in js:
            fail(js_rel, "holds %r, which ends a string literal in a script"
                 " before ES2019" % bad)
    node = subprocess.run(
        ["node", "-e", """
const fs = require('fs'), vm = require('vm');
const [js, json] = process.argv.slice(1);
const window = {};
vm.runInNewContext(fs.readFileSync(js, 'utf8'), {window}, {filename: js});
const want = JSON.parse(fs.readFileSync(json, 'utf8'));
const a = JSON.stringify(window.docketSearchIndex), b = JSON.stringify(want);
if (a !== b) { console.log('differs from search-index.json'); process.exit(1); }
""", os.path.join(out, js_rel), os.path.join(out, rel)],
        capture_output=True, text=True)
    if node.returncode != 0:
        fail(js_rel, "node: %s%s" % (node.stdout.strip(),
                                     node.stderr.strip()[-400:]))


# ---- sitemap.xml and robots.txt ----

def is_redirect(path):
    with open(path, "rb") as f:
        head = f.read(4096)
    return b'http-equiv="refresh"' in head


def check_sitemap(s, out):
    rel = "sitemap.xml"
    path = os.path.join(out, rel)
    if s.base is None:
        if os.path.exists(path):
            fail(rel, "written without base_url")
        return
    try:
        tree = ET.parse(path)
    except (OSError, ET.ParseError) as e:
        fail(rel, "expat: %s" % e)
        return
    xmllint(SITEMAP_RNG, path)
    listed = set()
    for u in tree.getroot().findall(SM + "url"):
        loc = u.findtext(SM + "loc")
        if re.search(r"[^A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]", loc):
            fail(rel, "a character a URI cannot hold unencoded: %r" % loc)
        if not loc.startswith(s.base):
            fail(rel, "%r is not under base_url" % loc)
            continue
        page = urllib.parse.unquote(loc[len(s.base):], errors="strict")
        if page.endswith("/") or page == "":
            page += "index.html"
        if page in listed:
            fail(rel, "%r twice" % loc)
        listed.add(page)
        if not os.path.isfile(os.path.join(out, page)):
            fail(rel, "%r: no such page %s in the output" % (loc, page))
        lm = u.findtext(SM + "lastmod")
        if lm is not None and s.history and lm not in s.commits.values():
            fail(rel, "%r: lastmod %s is no commit's date" % (loc, lm))
    for dirpath, _, files in os.walk(out):
        for f in files:
            p = os.path.relpath(os.path.join(dirpath, f), out)
            if not f.endswith(".html") or p == "404.html":
                continue
            if p not in listed and not is_redirect(os.path.join(out, p)):
                fail(rel, "page %s not listed" % p)


def check_robots(s, out):
    rel = "robots.txt"
    with open(os.path.join(out, rel), encoding="utf-8") as f:
        got = f.read()
    want = "User-agent: *\nAllow: /\n"
    if s.base is not None:
        want += "\nSitemap: %ssitemap.xml\n" % s.base
    same(rel, "text", got, want)


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if len(args) != 2:
        sys.exit(__doc__.strip().split("\n\n")[-2])
    s = Source(args[0], "--no-history" not in sys.argv)
    out = args[1]
    for check in (check_vendors_json, check_vendors_csv, check_actions_csv,
                  check_datapackage, check_ics, check_feeds,
                  check_changes_json, check_build_json, check_search,
                  check_sitemap, check_robots):
        try:
            check(s, out)
        except Exception as e:  # a reader that fails is a failure
            fail(check.__name__, "%s: %s" % (type(e).__name__, e))
    for f in failures:
        print(f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
