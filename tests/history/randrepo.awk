# A random history for tests/history/random, as a git fast-import stream.
#   awk -v seed=N -v commits=C -v taint=FILE -f randrepo.awk | git fast-import
# The same seed gives the same stream on any machine: the numbers come
# from a generator of our own (Park and Miller's), not awk's rand().
#
# The register: docket.yml, content/index.md, pages content/[DIR/]pN.md
# and records content/vendors/vN.xml, made and changed at random, one
# operation a commit or a few: add, edit, delete, rename (the same bytes,
# a line changed, into another folder), swap two pages, add again what
# was deleted, reformat a record (its fields the same), break a record
# (a version that does not parse, mended by the next commit of its
# branch), files docket does not read, and a branch merged back, each
# side changing its own files. Dates are fixed, a day apart.
#
# The paths whose history a rename makes differ from `git log -- path`
# are written to the file named by taint, one a line: both paths of a
# rename, and every path added or deleted by a commit that also deletes
# or adds another (docket pairs those itself when they are alike).
# A commit that only edits or reformats one file has a subject starting
# "Edit " or "Reformat ": those may go in .git-blame-ignore-revs.

function rnd(n) {
	S = (S * 48271) % 2147483647
	return int(S / 2147483647 * n)
}

function pick(a, n) { return a[rnd(n)] }

function words(n,    s, i) {
	s = ""
	for (i = 0; i < n; i++)
		s = s (i ? " " : "") W[rnd(NW)]
	return s
}

# A page: front matter and six lines of words.
function newpage(path,    s, i) {
	s = ""
	for (i = 0; i < 6; i++)
		s = s words(4 + rnd(5)) "\n"
	return "title: " words(2) "\n|" s
}

function pagetext(v,    k) {
	k = index(v, "|")
	return "---\n" substr(v, 1, k - 1) "---\n\n" substr(v, k + 1)
}

# One line of a page's body changed.
function editpage(v,    k, head, body, n, L, i, s) {
	k = index(v, "|")
	head = substr(v, 1, k)
	body = substr(v, k + 1)
	n = split(body, L, "\n")
	n--	# the last newline
	L[1 + rnd(n)] = words(3 + rnd(5))
	s = ""
	for (i = 1; i <= n; i++)
		s = s L[i] "\n"
	return head s
}

# A record, as fields: id|name|status|products|actions|style|broken|
# aliases|website|responses|note.
function newrec(id) {
	return id "|" pick(NAMES, 6) " " id "|" pick(ST, 5) "|" rnd(3) "|" \
	    rnd(3) "|" rnd(2) "|0|" rnd(3) "|" rnd(2) "|" rnd(3) "|" rnd(3)
}

function recfield(v, i,    F) {
	split(v, F, "|")
	return F[i]
}

function recset(v, i, x,    F, n, s, j) {
	n = split(v, F, "|")
	F[i] = x
	s = F[1]
	for (j = 2; j <= n; j++)
		s = s "|" F[j]
	return s
}

function rectext(v,    F, id, in1, in2, s, j, st) {
	split(v, F, "|")
	id = F[1]
	in1 = F[6] ? "    " : "  "
	in2 = in1 in1
	st = F[7] ? "bannd" : F[3]
	s = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<vendor id=\"" id "\">\n"
	s = s in1 "<name>" F[2] "</name>\n"
	for (j = 1; j <= F[8]; j++)
		s = s in1 "<alias>" F[2] " alias " j "</alias>\n"
	s = s in1 "<country code=\"US\">United States</country>\n"
	if (F[9])
		s = s in1 "<website>https://" id ".example.com/</website>\n"
	s = s in1 "<status>" st "</status>\n"
	if (F[4] > 0) {
		s = s in1 "<products>"
		for (j = 1; j <= F[4]; j++)
			s = s (F[6] ? "\n" in2 : "") "<product>Product " j \
			    " of " F[2] "</product>"
		s = s (F[6] ? "\n" in1 : "") "</products>\n"
	}
	if (F[6])
		s = s in1 "<summary>" F[2] " makes\n" in2 "software.</summary>\n"
	else
		s = s in1 "<summary>" F[2] " makes software.</summary>\n"
	for (j = 1; j <= F[5]; j++) {
		s = s in1 "<action id=\"a" j "\" type=\"" ATYPE[j % 4] \
		    "\" date=\"2019-0" j "-1" j "\" authority=\"Agency " j "\">\n"
		s = s in2 "<title>Action " j " on " F[2] "</title>\n"
		s = s in2 "<source href=\"https://example.org/" id "/" j \
		    "\" publisher=\"Agency\" date=\"2019-0" j "-1" j "\"/>\n"
		s = s in1 "</action>\n"
	}
	for (j = 1; j <= F[10]; j++)
		s = s in1 "<response date=\"2020-0" j "-0" j \
		    "\" href=\"https://example.org/r" j "\">Answer " j \
		    " of " F[2] ".</response>\n"
	if (F[11])
		s = s in1 "<note>Note " F[11] " on " id ".</note>\n"
	return s "</vendor>\n"
}

function isrec(p) { return p ~ /^content\/vendors\// }

function content(p, v) { return isrec(p) ? rectext(v) : pagetext(v) }

function known(p) {
	if (!(p in KNOWN)) {
		KNOWN[p] = 1
		PATHS[NP++] = p
	}
}

# Whether branch b may touch p while a branch is open.
function mine(b, p) { return !open || !(p in CLAIM) || CLAIM[p] == b }

# A random path of branch b that exists (want 1) or not (want 0), of
# records (r 1) or pages (r 0); "" when there is none.
function existing(b, r, want,    i, p, n, C) {
	n = 0
	for (i = 0; i < NP; i++) {
		p = PATHS[i]
		if (isrec(p) != r || !r && p !~ /\.md$/ ||
		    p == "content/index.md" || p ~ /^content\/box\// ||
		    !mine(b, p))
			continue
		if (((b SUBSEP p) in F) != want)
			continue
		C[n++] = p
	}
	return n ? C[rnd(n)] : ""
}

function freshpage(b,    p, tries) {
	for (tries = 0; tries < 50; tries++) {
		p = "content/" pick(DIRS, 5) "p" rnd(40) ".md"
		if (!(p in KNOWN) && mine(b, p))
			return p
	}
	return ""
}

function freshrec(b,    p, tries) {
	for (tries = 0; tries < 50; tries++) {
		p = "content/vendors/v" rnd(60) ".xml"
		if (!(p in KNOWN) && mine(b, p))
			return p
	}
	return ""
}

function recid(p,    s) {
	s = p
	sub(/^content\/vendors\//, "", s)
	sub(/\.xml$/, "", s)
	return s
}

# Changes of the commit being made.
function put(b, p, v) {
	known(p)
	if (open)
		CLAIM[p] = b
	if (!((b SUBSEP p) in F))
		ADDED[p] = 1
	F[b, p] = v
	CH[p] = 1
}

function del(b, p) {
	if (open)
		CLAIM[p] = b
	delete F[b, p]
	delete MODE[b, p]
	DELETED[p] = 1
	CH[p] = 1
}

# One operation on branch b; returns a word for the subject, "" if none.
function op(b,    k, p, q, v, w, id) {
	if (BROKEN[b] != "") {	# mend the record broken last time
		p = BROKEN[b]
		BROKEN[b] = ""
		v = recset(F[b, p], 7, 0)
		if (rnd(2))
			v = recset(v, 3, pick(ST, 5))
		put(b, p, v)
		return "Mend " p
	}
	k = rnd(100)
	if (k < 12) {
		p = freshpage(b)
		if (p == "") return ""
		put(b, p, newpage())
		return "Add " p
	}
	if (k < 30) {
		p = rnd(5) ? existing(b, 0, 1) : "content/index.md"
		if (p == "" || !mine(b, p)) return ""
		put(b, p, editpage(F[b, p]))
		return "Edit " p
	}
	if (k < 35) {
		p = existing(b, 0, 1)
		if (p == "") return ""
		del(b, p)
		return "Delete " p
	}
	if (k < 43) {	# rename a page, maybe with a change, maybe elsewhere
		p = existing(b, 0, 1)
		w = rnd(6)
		q = w < 4 ? freshpage(b) : existing(b, 0, w == 5)
		if (p == "" || q == "" || p == q) return ""
		v = F[b, p]
		if (rnd(2))
			v = editpage(v)
		del(b, p)
		put(b, q, v)
		TAINT[p] = TAINT[q] = 1
		return "Rename " p " to " q
	}
	if (k < 47) {	# swap two pages
		p = existing(b, 0, 1)
		q = existing(b, 0, 1)
		if (p == "" || q == "" || p == q) return ""
		v = F[b, p]
		put(b, p, F[b, q])
		put(b, q, v)
		return "Swap " p " and " q
	}
	if (k < 52) {	# add again what was deleted
		p = existing(b, rnd(2), 0)
		if (p == "") return ""
		put(b, p, isrec(p) ? newrec(recid(p)) : newpage())
		return "Add again " p
	}
	if (k < 60) {
		p = freshrec(b)
		if (p == "") return ""
		put(b, p, newrec(recid(p)))
		return "Add " p
	}
	if (k < 75) {	# change fields
		p = existing(b, 1, 1)
		if (p == "") return ""
		v = F[b, p]
		w = rnd(8)
		if (w == 0) v = recset(v, 3, pick(ST, 5))
		if (w == 1) v = recset(v, 2, pick(NAMES, 6) " " recid(p))
		if (w == 2) v = recset(v, 4, rnd(3))
		if (w == 3) v = recset(v, 5, rnd(3))
		if (w == 4) v = recset(v, 8, rnd(3))
		if (w == 5) v = recset(v, 9, rnd(2))
		if (w == 6) v = recset(v, 10, rnd(3))
		if (w == 7) v = recset(v, 11, rnd(3))
		put(b, p, v)
		return "Edit " p
	}
	if (k < 81) {
		p = existing(b, 1, 1)
		if (p == "") return ""
		put(b, p, recset(F[b, p], 6, 1 - recfield(F[b, p], 6)))
		return "Reformat " p
	}
	if (k < 85) {
		p = existing(b, 1, 1)
		if (p == "") return ""
		del(b, p)
		return "Delete " p
	}
	if (k < 89) {	# a record's id changed, maybe a field too
		p = existing(b, 1, 1)
		q = freshrec(b)
		if (p == "" || q == "") return ""
		v = recset(F[b, p], 1, recid(q))
		if (rnd(2))
			v = recset(v, 3, pick(ST, 5))
		del(b, p)
		put(b, q, v)
		TAINT[p] = TAINT[q] = 1
		return "Rename " p " to " q
	}
	if (k < 92) {	# a version that does not parse, mended next
		if (NOPS > 1) return ""
		p = existing(b, 1, 1)
		if (p == "") return ""
		put(b, p, recset(F[b, p], 7, 1))
		BROKEN[b] = p
		return "Break " p
	}
	if (k < 93 && rnd(2)) {	# one page renamed to two, or two to one
		p = existing(b, 0, 1)
		q = existing(b, 0, 1)
		w = freshpage(b)
		if (p == "" || q == "" || w == "" || p == q) return ""
		v = F[b, p]
		TAINT[p] = TAINT[q] = TAINT[w] = 1
		del(b, p)
		if (rnd(2)) {
			del(b, q)
			put(b, w, v)
			return "Join " p " and " q " as " w
		}
		put(b, q, v)
		put(b, w, v)
		return "Split " p " into " q " and " w
	}
	if (k < 94) {	# a page with the bytes of another
		p = existing(b, 0, 1)
		q = freshpage(b)
		if (p == "" || q == "") return ""
		put(b, q, F[b, p])
		return "Copy " p " to " q
	}
	if (k < 96) {	# the mode only
		p = existing(b, 0, 1)
		if (p == "") return ""
		if ((b SUBSEP p) in MODE)
			delete MODE[b, p]
		else
			MODE[b, p] = 1
		put(b, p, F[b, p])
		return "Mode of " p
	}
	if (k < 97 && !open) {	# a file, then a folder of that name
		if (BOX[b] == 1) {
			OTHERDEL[b, "content/box"] = 1
			CH["content/box"] = 1
			put(b, "content/box/p0.md", newpage())
			put(b, "content/box/p1.md", newpage())
			BOX[b] = 2
			return "Box: a folder"
		}
		if (BOX[b] == 2) {
			del(b, "content/box/p0.md")
			del(b, "content/box/p1.md")
		}
		delete OTHERDEL[b, "content/box"]
		OTHER[b, "content/box"] = "%%" rnd(1000) " 0x7f 0x00 ==== box"
		CH["content/box"] = 1
		BOX[b] = 1
		return "Box: a file"
	}
	# nothing docket reads
	p = rnd(2) ? "README" : "other/notes-" rnd(3) ".txt"
	OTHER[b, p] = words(5)
	CH[p] = 1
	return "Notes"
}

function emitfile(b, p,    v) {
	if ((b SUBSEP p) in OTHERDEL) {
		printf "D %s\n", p
		return
	}
	if (isrec(p) || p ~ /\.md$/) {
		if ((b SUBSEP p) in F) {
			v = content(p, F[b, p])
			printf "M %s inline %s\ndata %d\n%s\n", \
			    ((b SUBSEP p) in MODE) ? "100755" : "100644", p,
			    length(v), v
		} else
			printf "D %s\n", p
	} else {
		v = OTHER[b, p] "\n"
		printf "M 100644 inline %s\ndata %d\n%s\n", p, length(v), v
	}
}

function gone(b, p) {
	if (isrec(p) || p ~ /\.md$/)
		return !((b SUBSEP p) in F)
	return (b SUBSEP p) in OTHERDEL
}

function header(ref, msg, from, merge) {
	if (rnd(10) && !sametime)
		T += 86400 + rnd(3600)
	MARK++
	printf "commit %s\nmark :%d\n", ref, MARK
	printf "author %s <%s@example.org> %d +0000\n", AUTH[rnd(3)], "ed",
	    rnd(8) ? T : T - 86400 * (1 + rnd(20))
	printf "committer Editor <editor@example.org> %d +0000\n", T
	printf "data %d\n%s\n", length(msg), msg
	if (from)
		printf "from :%d\n", from
	if (merge)
		printf "merge :%d\n", merge
}

# A commit on branch b of one operation or a few.
function commit(b,    n, i, s, w, p, adds, dels) {
	split("", CH); split("", ADDED); split("", DELETED)
	n = rnd(5) ? 1 : 2 + rnd(3)
	if (BROKEN[b] != "")
		n = 1
	NOPS = n
	s = ""
	for (i = 0; i < n; i++) {
		w = op(b)
		if (w != "")
			s = s (s == "" ? "" : "; ") w
	}
	if (s == "") return
	if (n > 1)
		s = "Several changes: " s
	adds = dels = 0
	for (p in ADDED) adds++
	for (p in DELETED) dels++
	if (adds && dels) {
		for (p in ADDED) TAINT[p] = 1
		for (p in DELETED) TAINT[p] = 1
	}
	header("refs/heads/" (b == "m" ? "main" : "side"), s, HEAD[b], 0)
	# Deletions first: a file may give way to a folder of its name.
	for (p in CH)
		if (gone(b, p))
			emitfile(b, p)
	for (p in CH)
		if (!gone(b, p))
			emitfile(b, p)
	HEAD[b] = MARK
	print ""
}

# Path p on branch to becomes what it is on branch from.
function copypath(from, to, p) {
	if ((from SUBSEP p) in F)
		F[to, p] = F[from, p]
	else
		delete F[to, p]
	if ((from SUBSEP p) in MODE)
		MODE[to, p] = 1
	else
		delete MODE[to, p]
}

function fork(    i) {
	for (i = 0; i < NP; i++)
		copypath("m", "s", PATHS[i])
	HEAD["s"] = HEAD["m"]
	split("", CLAIM)
	open = 1
}

function merge(    p) {
	header("refs/heads/main", "Merge branch 'side'", HEAD["m"], HEAD["s"])
	for (p in CLAIM) {
		if (CLAIM[p] != "s")
			continue
		emitfile("s", p)
		copypath("s", "m", p)
	}
	# Sometimes the merge itself changes a page (an "evil" merge).
	open = 0
	if (rnd(3) == 0 && (p = existing("m", 0, 1)) != "") {
		F["m", p] = editpage(F["m", p])
		emitfile("m", p)
	}
	HEAD["m"] = MARK
	print ""
	split("", CLAIM)
}

BEGIN {
	S = seed % 2147483646 + 1
	for (i = 0; i < 10; i++) rnd(2)
	NW = split("vendor register order agency report notice review law " \
	    "network device software public federal record date source " \
	    "change list update scope draft audit policy", Wt, " ")
	for (i = 1; i <= NW; i++) W[i - 1] = Wt[i]
	split("approved under-review restricted banned lifted", t, " ")
	for (i = 1; i <= 5; i++) ST[i - 1] = t[i]
	split("Acme Globex Initech Hooli Umbrella Stark", t, " ")
	for (i = 1; i <= 6; i++) NAMES[i - 1] = t[i]
	split("directive law regulation sanction", t, " ")
	for (i = 1; i <= 4; i++) ATYPE[i % 4] = t[i]
	split("Ann Bob Cho", t, " ")
	for (i = 1; i <= 3; i++) AUTH[i - 1] = t[i]
	DIRS[0] = ""; DIRS[1] = "guide/"; DIRS[2] = "guide/deep/"; DIRS[3] = "notes/"
	DIRS[4] = "caf\303\251/"
	T = 1500000000 + rnd(1000) * 86400
	sametime = rnd(6) == 0	# every commit at the same second

	# The first commit: docket.yml, the home page, two pages, two records.
	split("", CH)
	put("m", "content/index.md", newpage())
	for (i = 0; i < 2; i++) {
		p = freshpage("m"); put("m", p, newpage())
		p = freshrec("m"); put("m", p, newrec(recid(p)))
	}
	header("refs/heads/main", "Start the register", 0, 0)
	y = "title: Random\nhistory:\n  limit: 100000\n  timezone: UTC\n"
	printf "M 100644 inline docket.yml\ndata %d\n%s\n", length(y), y
	for (p in CH)
		emitfile("m", p)
	HEAD["m"] = MARK
	print ""

	for (c = 1; c < commits; c++) {
		if (!open && BROKEN["m"] == "" && rnd(12) == 0) {
			fork()
			continue
		}
		if (open && BROKEN["s"] == "" && rnd(8) == 0) {
			merge()
			continue
		}
		commit(open && rnd(2) ? "s" : "m")
	}
	while (BROKEN["s"] != "") commit("s")
	if (open) merge()
	while (BROKEN["m"] != "") commit("m")
	printf "" > taint
	for (p in TAINT)
		print p > taint
	close(taint)
}
