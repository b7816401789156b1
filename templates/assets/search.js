/*
 * Search: makes the search form in the header search the register as
 * you type. Without JavaScript the form submits to the vendors list.
 *
 * The index is search-index.json; a page opened from disk cannot fetch
 * it, so the same index is also loaded from assets/search-index.js,
 * which assigns it to window.docketSearchIndex. No inline script or
 * style is used, so the site works under Content-Security-Policy
 * default-src 'self'.
 *
 * Keyboard: type to search; Down moves into the results, Up and Down
 * move between them, Escape closes them; Enter opens the first result.
 */
(function () {
	"use strict";

	var MAX = 12;
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
	var index = null;
	var loading = null;

	function fold(s) {
		return String(s || "").normalize("NFD")
		    .replace(/[\u0300-\u036f]/g, "").toLowerCase();
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

	/*
	 * The items of the index: search-index.json as fetched (text) holds
	 * one on each line, a comma after all but the last; the index loaded
	 * as a script is parsed already.
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
			return lines.slice(1, -1).map(function (l) {
				return JSON.parse(l.replace(/,$/, ""));
			});
		return items(JSON.parse(data));
	}

	function prepare(data) {
		return items(data).filter(function (it) {
			return it && relative(it.url);
		}).map(function (it) {
			return {
				item: it,
				title: fold(it.title),
				all: fold([it.title, it.meta, it.text].join(" "))
			};
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
			loading = p.then(function (data) {
				index = prepare(data);
				return index;
			});
		}
		return loading;
	}

	/* Every word of the query must occur; titles that start with it rank first. */
	function search(q) {
		var w = words(q);
		var whole = w.join(" ");
		var found = [];

		if (w.length === 0)
			return found;
		index.forEach(function (e) {
			var i, score;
			for (i = 0; i < w.length; i++)
				if (e.all.indexOf(w[i]) < 0)
					return;
			if (e.title.indexOf(whole) === 0)
				score = 0;
			else if ((" " + e.title).indexOf(" " + w[0]) >= 0)
				score = 1;
			else if (e.title.indexOf(w[0]) >= 0)
				score = 2;
			else
				score = 3;
			found.push({ e: e, score: score });
		});
		found.sort(function (a, b) {
			return a.score - b.score ||
			    KIND_ORDER[a.e.item.kind] - KIND_ORDER[b.e.item.kind] ||
			    (a.e.title < b.e.title ? -1 : a.e.title > b.e.title);
		});
		return found.map(function (f) {
			return f.e.item;
		});
	}

	function links() {
		return Array.prototype.slice.call(box.querySelectorAll("a"));
	}

	function close() {
		box.hidden = true;
	}

	function show(q) {
		var items = search(q);
		var ul, li, a, title, meta, more;

		box.textContent = "";
		if (words(q).length === 0) {
			status.textContent = "";
			close();
			return;
		}
		if (items.length === 0) {
			var none = document.createElement("p");
			none.className = "search-none";
			none.textContent = "Nothing found for \u201c" + q.trim() +
			    "\u201d.";
			box.appendChild(none);
			status.textContent = "No results.";
			box.hidden = false;
			return;
		}
		ul = document.createElement("ul");
		items.slice(0, MAX).forEach(function (it) {
			li = document.createElement("li");
			a = document.createElement("a");
			a.href = root + it.url;
			a.className = "search-result search-" + it.kind;
			title = document.createElement("span");
			title.className = "search-title";
			title.textContent = it.title;
			meta = document.createElement("span");
			meta.className = "search-meta";
			meta.textContent = KIND_LABEL[it.kind] +
			    (it.meta ? " \u00b7 " + it.meta : "");
			a.appendChild(title);
			a.appendChild(meta);
			li.appendChild(a);
			ul.appendChild(li);
		});
		box.appendChild(ul);
		if (items.length > MAX) {
			more = document.createElement("p");
			more.className = "search-more";
			more.textContent = (items.length - MAX) +
			    " more: type more words to narrow the search.";
			box.appendChild(more);
		}
		status.textContent = items.length + (items.length === 1 ?
		    " result." : " results.") + " Press Down to move to them.";
		box.hidden = false;
	}

	function update() {
		var q = input.value;
		load().then(function () {
			if (input.value === q)
				show(q);
		}, function () {
			status.textContent = "Search is not available.";
		});
	}

	input.addEventListener("input", update);
	input.addEventListener("focus", function () {
		load().catch(function () {});
		if (input.value.trim() !== "" && index)
			show(input.value);
	});
	form.addEventListener("submit", function (ev) {
		var l = links();
		if (l.length > 0) {
			ev.preventDefault();
			location.href = l[0].href;
		}
	});
	form.addEventListener("keydown", function (ev) {
		var l = links();
		var i = l.indexOf(document.activeElement);

		if (ev.key === "Escape") {
			close();
			input.focus();
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
