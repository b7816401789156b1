/*
 * Search: makes the search form in the header search the register as
 * you type. Without JavaScript the form submits to the vendors list.
 *
 * The index is search-index.json, fetched when the reader first moves
 * into the search box; a page opened from disk cannot fetch it, so the
 * same index is also loaded from assets/search-index.js, which assigns
 * it to window.docketSearchIndex. No inline script or style is used, so
 * the site works under Content-Security-Policy default-src 'self'.
 *
 * A register may hold thousands of pages: the index is prepared and
 * searched a slice at a time, so that the page goes on answering the
 * keyboard; a search that a newer key press makes useless is dropped,
 * and a query that only adds to the last one searches its results only.
 * Results are shown a page at a time, with a button for more.
 *
 * Keyboard: type to search; Down moves into the results, Up and Down
 * move between them, Escape closes them; Enter opens the first result.
 */
(function () {
	"use strict";

	var MAX = 12;		/* results shown at first, and added by "more" */
	var SLICE = 8;		/* milliseconds of work before the page may answer */
	var KIND_ORDER = { vendor: 0, list: 1, page: 2, action: 3 };
	var KIND_LABEL = { vendor: "Vendor", list: "List", page: "Page",
		action: "Action" };

	var form = document.querySelector("form.site-search");
	if (!form)
		return;
	var input = form.querySelector("input[name=q]");
	var box = form.querySelector(".search-results");
	var status = form.querySelector("[role=status]");
	var root = form.getAttribute("data-root") || "";
	var index = null;	/* the prepared entries, in the order results are listed */
	var loading = null;
	var job = null;		/* the search under way */
	var last = null;	/* the last search finished: its words and hits */
	var shown = null;	/* the results shown: query, found, count */
	var escaping = false;	/* Escape moves the focus back to the box */

	function fold(s) {
		s = String(s || "");
		if (/[^\x00-\x7f]/.test(s))
			s = s.normalize("NFD").replace(/[\u0300-\u036f]/g, "");
		return s.toLowerCase();
	}

	/*
	 * The words of a query, folded, without the punctuation around them
	 * (the index keeps a word once, without it: "(source)." is "source").
	 */
	function words(q) {
		return fold(q).split(/\s+/).map(function (w) {
			return w.replace(/^[\x21-\x2f\x3a-\x40\x5b-\x60\x7b-\x7e]+/, "")
			    .replace(/[\x21-\x2f\x3a-\x40\x5b-\x60\x7b-\x7e]+$/, "");
		}).filter(Boolean);
	}

	/*
	 * A path from the site root: never a scheme, a host or an absolute
	 * path, as a browser reads it (it drops tabs and line ends anywhere,
	 * and control characters and spaces in front).
	 */
	function relative(url) {
		return typeof url === "string" &&
		    !/^([a-z][a-z0-9+.\-]*:|[\/\\])/i.test(url
		    .replace(/[\t\n\r]/g, "").replace(/^[\x00-\x20]+/, ""));
	}

	/* Runs fn, then again after the page has had its turn. */
	function later(fn) {
		setTimeout(fn, 0);
	}

	/*
	 * The items of the index: search-index.json as fetched (text) holds
	 * one on each line, a comma after all but the last, which prepare()
	 * parses a slice at a time; the
	 * index loaded as a script is parsed already.
	 */
	function items(data) {
		var lines;

		if (typeof data !== "string")
			return data && Array.isArray(data.items) ? data.items : [];
		lines = data.split("\n");
		while (lines.length > 0 && lines[lines.length - 1] === "")
			lines.pop();
		if (lines.length >= 2 && /"items":\[$/.test(lines[0]) &&
		    lines[lines.length - 1] === "]}")
			return lines.slice(1, -1);
		return items(JSON.parse(data));
	}

	/*
	 * Parses and folds the items a slice at a time, then orders them by
	 * kind and title, the order in which results of the same rank are
	 * listed.
	 */
	function prepare(data) {
		var list = items(data);
		var out = [];
		var i = 0;

		return new Promise(function (resolve) {
			function step() {
				var end = performance.now() + SLICE;
				var it;

				for (; i < list.length; i++) {
					if ((i & 63) === 0 && performance.now() > end) {
						later(step);
						return;
					}
					it = list[i];
					if (typeof it === "string")
						it = JSON.parse(it.replace(/,$/, ""));
					if (!it || !relative(it.url) ||
					    !Object.prototype.hasOwnProperty.call(
					    KIND_ORDER, it.kind))
						continue;
					out.push({
						item: it,
						kind: KIND_ORDER[it.kind],
						title: fold(it.title),
						all: fold([it.title, it.meta, it.text]
						    .join(" "))
					});
				}
				later(order);
			}
			function order() {
				out.sort(function (a, b) {
					return a.kind - b.kind ||
					    (a.title < b.title ? -1 :
					    a.title > b.title ? 1 : 0);
				});
				resolve(out);
			}
			step();
		});
	}

	function loadScript() {
		return new Promise(function (resolve, reject) {
			if (window.docketSearchIndex) {
				resolve(window.docketSearchIndex);
				return;
			}
			var s = document.createElement("script");
			s.src = root + "assets/search-index.js";
			s.onload = function () {
				if (window.docketSearchIndex)
					resolve(window.docketSearchIndex);
				else
					reject(new Error("empty search index"));
			};
			s.onerror = function () {
				reject(new Error("no search index"));
			};
			document.head.appendChild(s);
		});
	}

	function load() {
		if (index)
			return Promise.resolve(index);
		if (!loading) {
			var p = location.protocol === "file:" || !window.fetch ?
			    loadScript() :
			    fetch(root + "search-index.json").then(function (r) {
				if (!r.ok)
					throw new Error("HTTP " + r.status);
				return r.text();
			}).catch(loadScript);
			loading = p.then(prepare).then(function (entries) {
				index = entries;
				return index;
			});
		}
		return loading;
	}

	function alnum(c) {
		return c >= 48 && c <= 57 || c >= 97 && c <= 122 || c > 127;
	}

	/*
	 * Whether w is in s at the start of a word (after no letter or
	 * digit), and with whole, also at its end.
	 */
	function atWord(s, w, whole) {
		var i;

		for (i = s.indexOf(w); i >= 0; i = s.indexOf(w, i + 1))
			if ((i === 0 || !alnum(s.charCodeAt(i - 1))) &&
			    (!whole || i + w.length === s.length ||
			    !alnum(s.charCodeAt(i + w.length))))
				return true;
		return false;
	}

	/*
	 * The rank of an entry that holds every word, best first: its title
	 * is the query, starts with it, has every word as a word, at the
	 * start of a word, anywhere; starts a word with the first word; or
	 * none of that (the words are in its description or text).
	 */
	function rank(e, w, whole) {
		var i, r = 2;

		if (e.title === whole)
			return 0;
		if (e.title.indexOf(whole) === 0)
			return 1;
		for (i = 0; i < w.length && r < 5; i++)
			if (e.title.indexOf(w[i]) < 0)
				r = 5;
			else if (r === 2 && !atWord(e.title, w[i], true))
				r = atWord(e.title, w[i], false) ? 3 : 4;
			else if (r === 3 && !atWord(e.title, w[i], false))
				r = 4;
		if (r < 5)
			return r;
		return atWord(e.title, w[0], false) ? 5 : 6;
	}

	/*
	 * Whether every entry that holds the words w also holds the words of
	 * the last search: then only the last search's hits need looking at.
	 */
	function narrows(w) {
		return last !== null && last.words.every(function (o) {
			return w.some(function (n) {
				return n.indexOf(o) >= 0;
			});
		});
	}

	/*
	 * Searches for q a slice at a time, then shows the results, unless a
	 * newer search has started meanwhile. Every word must occur.
	 */
	function search(q) {
		var w = words(q);
		var from = narrows(w) ? last.hits : index;
		var me = { hits: [], buckets: [[], [], [], [], [], [], []] };
		var whole = w.join(" ");
		var i = 0;

		job = me;
		function step() {
			var end = performance.now() + SLICE;
			var e, k, found;

			if (job !== me)
				return;
			for (; i < from.length; i++) {
				if ((i & 255) === 0 && i > 0 &&
				    performance.now() > end) {
					later(step);
					return;
				}
				e = from[i];
				for (k = 0; k < w.length; k++)
					if (e.all.indexOf(w[k]) < 0)
						break;
				if (k < w.length)
					continue;
				me.hits.push(e);
				me.buckets[rank(e, w, whole)].push(e);
			}
			job = null;
			last = { words: w, hits: me.hits };
			if (input.value !== q)
				return;
			found = [].concat.apply([], me.buckets);
			show(q, found.map(function (f) {
				return f.item;
			}));
		}
		step();
	}

	function links() {
		return Array.prototype.slice.call(
		    box.querySelectorAll("a, button"));
	}

	function close() {
		box.hidden = true;
	}

	function message(cls, text) {
		var p = document.createElement("p");

		p.className = cls;
		p.textContent = text;
		box.textContent = "";
		box.appendChild(p);
		box.hidden = false;
	}

	function result(it) {
		var li = document.createElement("li");
		var a = document.createElement("a");
		var title = document.createElement("span");
		var meta = document.createElement("span");
		/* An action's meta ends with its date: kept on one line. */
		var cut = it.kind === "action" && it.meta ?
		    it.meta.lastIndexOf(" \u00b7 ") : -1;
		var date;

		a.href = root + it.url;
		a.className = "search-result search-" + it.kind;
		title.className = "search-title";
		title.textContent = it.title;
		meta.className = "search-meta";
		/* No line begins with a separator: a no-break space before it. */
		meta.textContent = (KIND_LABEL[it.kind] + (it.meta ? " \u00b7 " +
		    (cut < 0 ? it.meta : it.meta.slice(0, cut + 3)) : "")).
		    replace(/ \u00b7 /g, "\u00a0\u00b7 ");
		if (cut >= 0) {
			date = document.createElement("span");
			date.className = "search-date";
			date.textContent = it.meta.slice(cut + 3);
			meta.appendChild(date);
		}
		a.appendChild(title);
		a.appendChild(meta);
		li.appendChild(a);
		return li;
	}

	/*
	 * Shows up to MAX more results and, under them, how many are shown
	 * with a button for more. With focus, moves the focus to the first
	 * result added (before the button can go, so that it is not lost).
	 */
	function more(focus) {
		var ul = box.querySelector("ul");
		var p = box.querySelector(".search-more");
		var first = null, left, b;

		shown.found.slice(shown.count, shown.count + MAX)
		    .forEach(function (it) {
			var li = result(it);

			ul.appendChild(li);
			if (first === null)
				first = li.firstChild;
		});
		shown.count = Math.min(shown.count + MAX, shown.found.length);
		left = shown.found.length - shown.count;
		if (focus && first !== null)
			first.focus();
		if (left === 0) {
			if (p)
				p.parentNode.removeChild(p);
			return;
		}
		if (!p) {
			p = document.createElement("p");
			p.className = "search-more";
			p.appendChild(document.createTextNode(""));
			b = document.createElement("button");
			b.type = "button";
			b.addEventListener("click", function () {
				more(true);
			});
			p.appendChild(b);
			box.appendChild(p);
		}
		p.firstChild.nodeValue = "Showing " + shown.count + " of " +
		    shown.found.length + ". ";
		p.lastChild.textContent = "Show " + Math.min(left, MAX) + " more";
	}

	function show(q, found) {
		box.textContent = "";
		shown = null;
		if (found.length === 0) {
			message("search-none", "Nothing found for \u201c" +
			    q.trim() + "\u201d.");
			status.textContent = "No results.";
			return;
		}
		shown = { q: q, found: found, count: 0 };
		box.appendChild(document.createElement("ul"));
		more(false);
		status.textContent = found.length + (found.length === 1 ?
		    " result." : " results.") + " Press Down to move to them.";
		box.hidden = false;
	}

	function update() {
		var q = input.value;

		if (words(q).length === 0) {
			job = null;
			box.textContent = "";
			status.textContent = "";
			close();
			return;
		}
		if (!index) {
			message("search-none", "Loading the search\u2026");
			status.textContent = "Loading the search.";
		}
		load().then(function () {
			if (input.value === q)
				search(q);
		}, function () {
			message("search-none", "Search is not available.");
			status.textContent = "Search is not available.";
		});
	}

	input.addEventListener("input", update);
	input.addEventListener("focus", function () {
		load().catch(function () {});
		if (escaping)
			return;
		if (shown !== null && shown.q === input.value)
			box.hidden = false;
		else if (input.value.trim() !== "" && index)
			update();
	});
	form.addEventListener("submit", function (ev) {
		var a = box.hidden ? null : box.querySelector("a");

		if (a) {
			ev.preventDefault();
			location.href = a.href;
		}
	});
	/* A click on "more" keeps the focus where it is until it is done. */
	box.addEventListener("mousedown", function (ev) {
		if (ev.target.closest && ev.target.closest("button"))
			ev.preventDefault();
	});
	form.addEventListener("keydown", function (ev) {
		var l = links();
		var i = l.indexOf(document.activeElement);

		if (ev.key === "Escape") {
			close();
			escaping = true;
			input.focus();
			escaping = false;
			ev.preventDefault();
		} else if (ev.key === "ArrowDown" && l.length > 0 && !box.hidden) {
			l[i < 0 ? 0 : Math.min(i + 1, l.length - 1)].focus();
			ev.preventDefault();
		} else if (ev.key === "ArrowUp" && i >= 0) {
			if (i === 0)
				input.focus();
			else
				l[i - 1].focus();
			ev.preventDefault();
		}
	});
	form.addEventListener("focusout", function (ev) {
		if (!ev.relatedTarget || !form.contains(ev.relatedTarget))
			close();
	});

	/* The vendors list reached by submitting the form: search again. */
	var q = new URLSearchParams(location.search).get("q");
	if (q) {
		input.value = q;
		update();
	}
})();
