// Browser tests of sites built by docket: every page of the bundled
// register and of the test site (tests/browser/site: long names, many
// actions, every status) is loaded in Chromium from a local server that
// sends Content-Security-Policy: default-src 'self', and checked with the
// Nu Html Checker, axe-core (WCAG 2.1 A and AA), for requests to other
// origins, CSP violations, console errors, horizontal overflow at 320 px
// (the width WCAG 1.4.10 asks a page to reflow to),
// the skip link and keyboard focus; text under forced wider spacing
// (WCAG 1.4.12) and forced colours; then search, printing, the Atom feed,
// the sitemap, the calendar and the CSV files.
//
//   node test.mjs --mode test|screenshots --out DIR --repo DIR [--shots DIR]
//
// DIR/register holds the bundled register, DIR/sub the test site; the
// run script builds them.

import { execFileSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";
import { AxeBuilder } from "@axe-core/playwright";

const require = createRequire(import.meta.url);
const args = {};
for (let i = 2; i < process.argv.length; i += 2)
	args[process.argv[i].replace(/^--/, "")] = process.argv[i + 1];
const OUT = args.out;
const REPO = args.repo;
const HERE = path.dirname(new URL(import.meta.url).pathname);
const CSP = "default-src 'self'";
// The site folders and the path each is served under.
const SITES = [
	// Without base_url 404.html links from "/": the register is at the root.
	{ name: "test site", dir: path.join(OUT, "sub"), prefix: "/sub/" },
	// Of the lists cut into pages by year, only the lists are checked.
	{ name: "paged changes", dir: path.join(OUT, "paged"), prefix: "/paged/",
		only: "changes" },
	{ name: "paged timeline", dir: path.join(OUT, "paged"), prefix: "/paged/",
		only: "timeline" },
	{ name: "register", dir: path.join(OUT, "register"), prefix: "/" },
];
const TEST_BASE_URL = "https://register.example.org/sub/";

let passed = 0;
let failed = 0;

function report(name, problems) {
	if (problems.length === 0) {
		passed++;
		console.log(`ok   ${name}`);
		return;
	}
	failed++;
	console.log(`FAIL ${name}`);
	for (const p of problems.slice(0, 25))
		console.log(`     ${p}`);
	if (problems.length > 25)
		console.log(`     ... and ${problems.length - 25} more`);
}

// ---- the static server ----

const TYPES = {
	".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
	".js": "text/javascript; charset=utf-8", ".json": "application/json",
	".svg": "image/svg+xml", ".xml": "application/xml",
	".ics": "text/calendar; charset=utf-8", ".csv": "text/csv; charset=utf-8",
	".txt": "text/plain; charset=utf-8", ".png": "image/png",
};

function serve() {
	const server = http.createServer((req, res) => {
		const url = new URL(req.url, "http://x");
		const site = SITES.find((s) => url.pathname.startsWith(s.prefix));
		let status = 200;
		let file = null;
		if (site) {
			const rel = decodeURIComponent(url.pathname.slice(site.prefix.length));
			file = path.join(site.dir, rel);
			if (!file.startsWith(site.dir))
				file = null;
			else if (fs.existsSync(file) && fs.statSync(file).isDirectory())
				file = path.join(file, "index.html");
			if (file && !fs.existsSync(file)) {
				status = 404;
				file = path.join(site.dir, "404.html");
			}
		}
		const headers = { "Content-Security-Policy": CSP };
		if (!file) {
			res.writeHead(404, headers);
			res.end("not found");
			return;
		}
		headers["Content-Type"] = TYPES[path.extname(file)] ||
		    "application/octet-stream";
		res.writeHead(status, headers);
		res.end(fs.readFileSync(file));
	});
	return new Promise((resolve) => {
		server.listen(0, "127.0.0.1", () => resolve(server));
	});
}

// ---- helpers ----

function htmlPages(dir, rel = "") {
	let pages = [];
	for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
		const r = rel ? `${rel}/${e.name}` : e.name;
		if (e.isDirectory())
			pages = pages.concat(htmlPages(dir, r));
		else if (e.name.endsWith(".html"))
			pages.push(r);
	}
	return pages.sort();
}

// A redirect page (alias or renamed record) only forwards its reader.
function isRedirect(dir, rel) {
	return /http-equiv="refresh"/.test(fs.readFileSync(path.join(dir, rel), "utf8"));
}

async function launch() {
	const profile = fs.mkdtempSync(path.join(os.tmpdir(), "docket-chromium-"));
	const context = await chromium.launchPersistentContext(profile, {
		executablePath: "/usr/bin/chromium",
		headless: true,
		args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
			"--disable-background-networking", "--disable-component-update",
			"--disable-sync", "--disable-dev-shm-usage"],
		viewport: { width: 1280, height: 900 },
		// Focus checks read positions at once, not after a smooth scroll.
		reducedMotion: "reduce",
	});
	return { context, profile };
}

// Watches a page for requests to other origins, failed requests, CSP
// violations, script errors and console errors.
function watch(page, origin) {
	const problems = [];
	// Requests to other origins are recorded, then refused at once: the
	// machine may have no network, and the page must not wait for one.
	page.route((u) => !u.href.startsWith(origin + "/") && u.protocol !== "data:",
	    (r) => r.abort("blockedbyclient"));
	page.on("request", (r) => {
		const u = r.url();
		if (!u.startsWith(origin + "/") && !u.startsWith("data:"))
			problems.push(`request to another origin: ${u}`);
	});
	page.on("requestfailed", (r) => {
		if (r.url().startsWith(origin + "/"))
			problems.push(`request failed: ${r.url()} (${r.failure()?.errorText})`);
	});
	page.on("response", (r) => {
		if (r.status() >= 400 && r.request().resourceType() !== "document")
			problems.push(`HTTP ${r.status()} for ${r.url()}`);
	});
	page.on("console", (m) => {
		if (m.type() === "error")
			problems.push(`console error: ${m.text()}`);
	});
	page.on("pageerror", (e) => problems.push(`script error: ${e.message}`));
	return problems;
}

const CSP_WATCH = `
	window.__csp = [];
	document.addEventListener("securitypolicyviolation", (e) => {
		window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline") +
		    " at " + e.sourceFile + ":" + e.lineNumber);
	});
`;

// ---- the checks of one page ----

// Tabs through the page: the first stop is a skip link that becomes
// visible and moves focus to main; every focus is visible; every visible
// link is reached.
async function keyboardWalk(page) {
	const problems = [];
	const want = await page.evaluate(() => {
		const links = [...document.querySelectorAll("a[href], button, input, select, textarea, summary")]
		    .filter((el) => el.checkVisibility({ visibilityProperty: true }) ||
		    el.classList.contains("skip-link"));
		links.forEach((el, i) => {
			el.dataset.kb = String(i);
			const cs = getComputedStyle(el);
			el.dataset.kbStyle = [cs.outlineStyle, cs.outlineColor, cs.outlineWidth,
				cs.boxShadow, cs.backgroundColor].join("|");
		});
		return links.map((el) => el.outerHTML.slice(0, 90));
	});
	const seen = new Set();
	let first = true;
	for (let n = 0; n < want.length + 3; n++) {
		await page.keyboard.press("Tab");
		const f = await page.evaluate(() => {
			const el = document.activeElement;
			if (!el || el === document.body)
				return null;
			const cs = getComputedStyle(el);
			const now = [cs.outlineStyle, cs.outlineColor, cs.outlineWidth,
				cs.boxShadow, cs.backgroundColor];
			const before = (el.dataset.kbStyle || "").split("|");
			const outline = now[0] !== "none" && parseFloat(now[2]) >= 2 &&
			    !/rgba\(0, 0, 0, 0\)|transparent/.test(now[1]);
			const changed = now[3] !== before[3] || now[4] !== before[4];
			const r = el.getBoundingClientRect();
			return {
				kb: el.dataset.kb, html: el.outerHTML.slice(0, 90),
				skip: el.classList.contains("skip-link"),
				href: el.getAttribute("href"),
				visible: outline || changed,
				onScreen: r.width > 1 && r.height > 1 && r.bottom > 0 &&
				    r.right > 0 && r.top < innerHeight && r.left < innerWidth,
			};
		});
		if (f === null)
			break;
		if (first) {
			if (!f.skip)
				problems.push(`the first Tab stop is not the skip link: ${f.html}`);
			else if (!f.onScreen)
				problems.push("the skip link is not shown when focused");
			first = false;
		}
		if (!f.visible)
			problems.push(`focus not visible on ${f.html}`);
		if (!f.onScreen)
			problems.push(`focused element off screen: ${f.html}`);
		if (f.kb === undefined || seen.has(f.kb))
			break;	/* wrapped around, or left the page's controls */
		seen.add(f.kb);
	}
	want.forEach((h, i) => {
		if (!seen.has(String(i)))
			problems.push(`not reachable by Tab: ${h}`);
	});
	// The skip link moves focus to the main content.
	await page.keyboard.press("Home");
	await page.evaluate(() => document.activeElement?.blur());
	await page.keyboard.press("Tab");
	await page.keyboard.press("Enter");
	const target = await page.evaluate(() => document.activeElement?.id);
	if (target !== "main")
		problems.push(`the skip link leads to '${target}', not to main`);
	return problems;
}

async function overflowAt320(page) {
	await page.setViewportSize({ width: 320, height: 800 });
	const r = await page.evaluate(() => {
		const w = document.documentElement.clientWidth;
		if (document.documentElement.scrollWidth <= w)
			return [];
		// The widest elements not inside a scrolling container.
		return [...document.querySelectorAll("body *")].filter((el) => {
			const b = el.getBoundingClientRect();
			if (b.right <= w + 0.5)
				return false;
			for (let p = el.parentElement; p; p = p.parentElement)
				if (/(auto|scroll|hidden)/.test(getComputedStyle(p).overflowX) &&
				    p !== document.body && p !== document.documentElement)
					return false;
			return el.checkVisibility();
		}).slice(0, 5).map((el) => `${el.tagName.toLowerCase()}.${el.className} ` +
		    `reaches ${Math.round(el.getBoundingClientRect().right)} px`);
	});
	await page.setViewportSize({ width: 1280, height: 900 });
	return r.length ? [`overflows 320 px: ${r.join("; ")}`] : [];
}

async function checkPages(context, origin, site, pages, results) {
	const axeVersion = require("axe-core/package.json").version;
	for (const rel of pages) {
		const url = `${origin}${site.prefix}${rel}`;
		const page = await context.newPage();
		await page.addInitScript(CSP_WATCH);
		const problems = watch(page, origin);
		const resp = await page.goto(url, { waitUntil: "load" });
		if (!resp || resp.status() !== 200)
			problems.push(`HTTP ${resp && resp.status()}`);
		if (!isRedirect(site.dir, rel)) {
			const axe = await new AxeBuilder({ page })
			    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
			for (const v of axe.violations)
				results.axe.push(`${rel}: ${v.id} (${v.impact}): ${v.help}: ` +
				    v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", "));
			results.axeVersion = axe.testEngine?.version || axeVersion;
			for (const p of await overflowAt320(page))
				results.overflow.push(`${rel}: ${p}`);
			for (const p of await keyboardWalk(page))
				results.keyboard.push(`${rel}: ${p}`);
		} else {
			// Read where the refresh leads (a CSP violation of the
			// redirect page itself is a console error, watched above).
			await page.waitForURL((u) => u.href !== url, { waitUntil: "load", timeout: 5000 })
			    .catch(() => problems.push("the redirect is not followed"));
		}
		const csp = await page.evaluate(() => window.__csp || []);
		for (const c of csp)
			results.csp.push(`${rel}: CSP violation: ${c}`);
		for (const p of problems) {
			if (/another origin/.test(p))
				results.requests.push(`${rel}: ${p}`);
			else
				results.csp.push(`${rel}: ${p}`);
		}
		await page.close();
	}
}

// ---- checks of the whole site ----

function nuChecker() {
	const jar = require("vnu-jar");
	const problems = [];
	let out;
	try {
		out = execFileSync("java", ["-Xss8m", "-jar", jar, "--errors-only",
			"--format", "json", "--also-check-css", "--skip-non-html",
			...SITES.map((s) => s.only ? path.join(s.dir, s.only) : s.dir)], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
	} catch (e) {
		out = e.stderr || e.stdout || "";
	}
	let json;
	try {
		json = JSON.parse(out || "{\"messages\":[]}");
	} catch (e) {
		return { problems: [`cannot read the checker's output: ${out.slice(0, 300)}`] };
	}
	for (const m of json.messages)
		if (m.type === "error" || m.subType === "fatal")
			problems.push(`${(m.url || "").replace("file:" + OUT + "/", "")}:${m.lastLine}: ${m.message}`);
	const version = execFileSync("java", ["-jar", jar, "--version"], { encoding: "utf8" }).trim();
	return { problems, version };
}

async function searchTests(context, origin) {
	const problems = [];
	const page = await context.newPage();
	await page.addInitScript(CSP_WATCH);
	const watched = watch(page, origin);
	await page.goto(`${origin}/index.html`);
	await page.focus("#search-q");
	await page.keyboard.type("kasp");
	await page.waitForSelector("#search-results:not([hidden]) a", { timeout: 5000 })
	    .catch(() => problems.push("no results shown for 'kasp'"));
	const first = await page.textContent("#search-results a").catch(() => "");
	if (!/Kaspersky/.test(first || ""))
		problems.push(`the first result for 'kasp' is '${first}'`);
	const status = await page.textContent("#search-status");
	if (!/result/.test(status))
		problems.push(`the live region says '${status}'`);
	await page.keyboard.press("ArrowDown");
	const focused = await page.evaluate(() => document.activeElement.textContent);
	if (!/Kaspersky/.test(focused))
		problems.push(`Down did not move to the first result (focus on '${focused}')`);
	await Promise.all([page.waitForNavigation(), page.keyboard.press("Enter")]);
	if (!page.url().endsWith(":" + new URL(origin).port + "/vendors/kaspersky/index.html"))
		problems.push(`Enter opened ${page.url()}`);
	const h1 = await page.textContent("h1");
	if (h1.trim() !== "Kaspersky Lab")
		problems.push(`the page opened has the heading '${h1}'`);
	// Escape closes the results and keeps focus in the box.
	await page.focus("#search-q");
	await page.keyboard.type("huawei");
	await page.waitForSelector("#search-results:not([hidden]) a");
	await page.keyboard.press("Escape");
	if (!(await page.isHidden("#search-results")))
		problems.push("Escape did not close the results");
	// Search for a product and an action.
	await page.fill("#search-q", "endpoint security");
	await page.waitForFunction((re) => new RegExp(re).test(document.querySelector("#search-results").textContent),
	    /Kaspersky/.source, { timeout: 5000 }).catch(() => {});
	if (!/Kaspersky/.test(await page.textContent("#search-results")))
		problems.push("searching a product does not find its vendor");
	await page.fill("#search-q", "17-01");
	await page.waitForFunction((re) => new RegExp(re).test(document.querySelector("#search-results").textContent),
	    /Binding Operational Directive 17-01/.source, { timeout: 5000 }).catch(() => {});
	if (!/Binding Operational Directive 17-01/.test(await page.textContent("#search-results")))
		problems.push("searching an action does not find it");
	problems.push(...watched);
	const csp = await page.evaluate(() => window.__csp || []);
	problems.push(...csp.map((c) => `CSP violation: ${c}`));
	await page.close();
	return problems;
}

// What search.js should find, worked out from search-index.json: the
// items that hold every word of the query (folded as search.js folds).
function searchReference(dir, query) {
	const fold = (t) => String(t || "").normalize("NFD")
	    .replace(/[\u0300-\u036f]/g, "").toLowerCase();
	const punct = /^[\x21-\x2f\x3a-\x40\x5b-\x60\x7b-\x7e]+|[\x21-\x2f\x3a-\x40\x5b-\x60\x7b-\x7e]+$/g;
	const words = fold(query).split(/\s+/).map((w) => w.replace(punct, ""))
	    .filter(Boolean);
	const index = JSON.parse(fs.readFileSync(path.join(dir, "search-index.json"), "utf8"));
	return index.items.filter((it) => {
		const all = fold([it.title, it.meta, it.text].join(" "));
		return words.every((w) => all.includes(w));
	});
}

// The register of 510 vendors: the index is fetched only once the reader
// moves into the search box, says that it is loading, and many results
// come 12 at a time, counted right however the query was typed.
async function searchManyTests(context, origin) {
	const problems = [];
	const dir = path.join(OUT, "paged");
	const page = await context.newPage();
	await page.addInitScript(CSP_WATCH);
	const watched = watch(page, origin);
	const fetched = [];
	page.on("request", (r) => {
		if (/search-index/.test(r.url()))
			fetched.push(r.url());
	});
	let release;
	const held = new Promise((r) => { release = r; });
	await page.route("**/search-index.json", async (r) => {
		await held;
		await r.continue();
	});
	await page.goto(`${origin}/paged/index.html`, { waitUntil: "load" });
	// A fixed wait: that no request comes cannot be waited for.
	await page.waitForTimeout(300);
	if (fetched.length !== 0)
		problems.push(`the index is fetched before the reader searches: ${fetched}`);
	await page.focus("#search-q");
	await page.keyboard.type("globex");
	const loading = await page.evaluate(() => [
		document.querySelector("#search-results").hidden,
		document.querySelector("#search-results").textContent,
		document.querySelector("#search-status").textContent]);
	if (loading[0] || loading[1] !== "Loading the search\u2026" ||
	    loading[2] !== "Loading the search.")
		problems.push(`while the index loads the results read ${JSON.stringify(loading)}`);
	// The page's request is told here after it is made.
	for (let i = 0; i < 100 && fetched.length === 0; i++)
		await page.waitForTimeout(50);
	if (fetched.length !== 1)
		problems.push(`${fetched.length} requests for the index once searching`);
	release();
	// What is shown for the query q, once the live region says want.status
	// and want.titles results are listed: after a key, the search runs a
	// slice at a time, and until it is done the live region still says
	// what the last search found.
	const status = async (q, want) => {
		await page.waitForFunction(([q, want]) => {
			const s = document.querySelector("#search-status").textContent;
			const n = document.querySelectorAll("#search-results .search-title").length;
			return s !== "" && !/Loading/.test(s) &&
			    document.querySelector("#search-q").value === q &&
			    (want.status === undefined || s === want.status) &&
			    (want.titles === undefined || n === want.titles);
		}, [q, want], { timeout: 5000 }).catch(() => {});
		return page.evaluate(() => ({
			status: document.querySelector("#search-status").textContent,
			titles: [...document.querySelectorAll("#search-results .search-title")]
			    .map((e) => e.textContent),
			more: document.querySelector("#search-results .search-more")?.textContent ?? null,
			focus: document.activeElement.textContent,
		}));
	};
	const said = (q) => `${searchReference(dir, q).length} results. Press Down to move to them.`;
	const all = searchReference(dir, "globex").length;
	let r = await status("globex", { status: said("globex") });
	if (r.status !== `${all} results. Press Down to move to them.`)
		problems.push(`'globex': the live region says '${r.status}', for ${all} items`);
	if (r.titles.length !== 12 || r.more !== `Showing 12 of ${all}. Show 12 more`)
		problems.push(`'globex': ${r.titles.length} results shown, then '${r.more}'`);
	for (const scheme of ["light", "dark"]) {
		await page.emulateMedia({ colorScheme: scheme });
		const axe = await new AxeBuilder({ page }).include("#search-results")
		    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
		for (const v of axe.violations)
			problems.push(`results (${scheme}): ${v.id}: ${v.help}`);
	}
	// "Show 12 more" by mouse, then by keyboard: the focus moves to the
	// first result added.
	if (await page.locator("#search-results .search-more button").count() !== 1) {
		problems.push("no button for more results");
		await page.close();
		return problems;
	}
	await page.click("#search-results .search-more button");
	r = await status("globex", { titles: 24 });
	if (r.titles.length !== 24 || !r.focus.startsWith(r.titles[12]) ||
	    r.more !== `Showing 24 of ${all}. Show 12 more`)
		problems.push(`after a click on "more": ${r.titles.length} results, focus on '${r.focus}', then '${r.more}'`);
	for (let i = 0; i < 12; i++)
		await page.keyboard.press("ArrowDown");
	if (await page.evaluate(() => document.activeElement.tagName) !== "BUTTON")
		problems.push("Down from the last result does not reach the button for more");
	await page.keyboard.press("Enter");
	r = await status("globex", { titles: 36 });
	if (r.titles.length !== 36 || !r.focus.startsWith(r.titles[24]))
		problems.push(`after Enter on "more": ${r.titles.length} results, focus on '${r.focus}'`);
	// Escape from a result closes the results for good.
	await page.keyboard.press("Escape");
	if (!(await page.isHidden("#search-results")) ||
	    await page.evaluate(() => document.activeElement.id) !== "search-q")
		problems.push("Escape from a result does not close the results and return to the box");
	// The title that is the query first, then the titles that start
	// with it.
	await page.fill("#search-q", "globex 45");
	r = await status("globex 45", { status: said("globex 45") });
	const want = ["Globex 45", ...Array.from({ length: 10 }, (_, i) => `Globex 45${i}`)];
	if (r.titles.slice(0, 11).join("|") !== want.join("|"))
		problems.push(`'globex 45' lists ${r.titles.slice(0, 11).join(", ")}`);
	// Typed a key at a time, then shortened, then lengthened: every
	// count is the whole register's, not the last search's.
	await page.fill("#search-q", "");
	await page.keyboard.type("globex 4", { delay: 20 });
	for (const [key, q] of [[null, "globex 4"], ["Backspace", "globex "],
		["5", "globex 5"], ["1", "globex 51"], ["Backspace", "globex 5"],
		["Backspace", "globex "], ["Backspace", "globex"]]) {
		if (key)
			await page.keyboard.press(key);
		r = await status(q, { status: said(q) });
		if (r.status !== said(q))
			problems.push(`'${q}': the live region says '${r.status}', for ${searchReference(dir, q).length} items`);
	}
	problems.push(...watched);
	const csp = await page.evaluate(() => window.__csp || []);
	problems.push(...csp.map((c) => `CSP violation: ${c}`));
	await page.close();
	return problems;
}

// Long lists lay out only the rows near the screen: on a phone, the list
// of 510 vendors and a page of 100 actions of a year; the rows further down are
// laid out when scrolled to, and all of them when printed (a row is
// laid out when its first cell is visible to checkVisibility()).
async function longListTests(context, origin) {
	const problems = [];
	const page = await context.newPage();
	await page.setViewportSize({ width: 360, height: 780 });
	for (const [rel, sel] of [["vendors/index.html", ".register-full tbody tr"],
		["timeline/2019/index.html", ".events > .event"]]) {
		await page.emulateMedia({ media: "screen" });
		await page.goto(`${origin}/paged/${rel}`, { waitUntil: "load" });
		const shown = () => page.evaluate((s) => [...document.querySelectorAll(s)]
		    .map((el) => el.firstElementChild.checkVisibility({ contentVisibilityAuto: true }) ? 1 : 0), sel);
		// Which rows are near the screen is decided when frames are drawn,
		// which may come some time after "load" or a scroll on a busy
		// machine: wait (at most 5 s) until the first and last rows are
		// as expected, then look at every row.
		const settled = (first, last) => page.waitForFunction(([s, f, l]) => {
			const rows = document.querySelectorAll(s);
			const seen = (el) => el.firstElementChild.checkVisibility({ contentVisibilityAuto: true });
			return rows.length > 0 && seen(rows[0]) === f && seen(rows[rows.length - 1]) === l;
		}, [sel, first, last], { timeout: 5000 }).catch(() => {});
		await settled(true, false);
		let v = await shown();
		if (v.length < 100 || v[0] !== 1 || v.at(-1) !== 0 ||
		    v.reduce((a, b) => a + b, 0) > 20)
			problems.push(`${rel}: ${v.reduce((a, b) => a + b, 0)} of ${v.length} rows laid out on opening`);
		await page.evaluate((s) => [...document.querySelectorAll(s)].at(-1).scrollIntoView(), sel);
		await settled(false, true);
		v = await shown();
		if (v.at(-1) !== 1 || v[0] !== 0)
			problems.push(`${rel}: after scrolling to the end, the last row is ${v.at(-1) ? "" : "not "}laid out, the first ${v[0] ? "still is" : "not"}`);
		await page.emulateMedia({ media: "print" });
		await page.waitForFunction((s) => [...document.querySelectorAll(s)].every((el) =>
		    el.firstElementChild.checkVisibility({ contentVisibilityAuto: true })), sel,
		    { timeout: 5000 }).catch(() => {});
		v = await shown();
		if (v.some((x) => x === 0))
			problems.push(`${rel}: ${v.filter((x) => x === 0).length} rows left out in print`);
	}
	await page.close();
	return problems;
}

// A build --as-of says so under the header, in a band whose text lines
// up with the page's, at a phone's width and a desktop's, legibly.
async function asOfTests(context) {
	const problems = [];
	const page = await context.newPage();
	for (const width of [360, 1280]) {
		await page.setViewportSize({ width, height: 800 });
		await page.goto(`file://${OUT}/asof/index.html`);
		const r = await page.evaluate(() => {
			const b = document.querySelector(".as-of-banner");
			const h = document.querySelector("main h1");
			if (!b || !h)
				return null;
			const range = document.createRange();
			range.selectNodeContents(b);
			const header = document.querySelector("header").getBoundingClientRect();
			return {
				text: b.textContent,
				left: range.getClientRects()[0].left,
				content: h.getBoundingClientRect().left,
				band: [b.getBoundingClientRect().left, b.getBoundingClientRect().right],
				top: b.getBoundingClientRect().top - header.bottom,
				bg: getComputedStyle(b).backgroundColor,
				page: getComputedStyle(document.body).backgroundColor,
			};
		});
		if (r === null) {
			problems.push(`${width} px: no banner or no heading`);
			continue;
		}
		if (!/^This is the register as of 1 March 2021 \(commit\u00a0[0-9a-f]{10}\), not its current state\.$/.test(r.text))
			problems.push(`${width} px: the banner reads '${r.text}'`);
		if (Math.abs(r.left - r.content) > 1)
			problems.push(`${width} px: the banner's text starts at ${r.left}, the content at ${r.content}`);
		if (r.band[0] !== 0 || Math.abs(r.band[1] - width) > 20)
			problems.push(`${width} px: the band spans ${r.band}, not the window`);
		if (Math.abs(r.top) > 1)
			problems.push(`${width} px: the band is ${r.top} px below the header`);
		if (r.bg === r.page || r.bg === "rgba(0, 0, 0, 0)")
			problems.push(`${width} px: the band has the page's background (${r.bg})`);
		const axe = await new AxeBuilder({ page }).include(".as-of-banner")
		    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
		for (const v of axe.violations)
			problems.push(`${width} px: ${v.id}: ${v.help}`);
	}
	await page.close();
	return problems;
}

// On a phone the counts of a facet's terms line up on the right, also
// under a name too long to share their line.
async function termsTests(context, origin) {
	const problems = [];
	const page = await context.newPage();
	await page.setViewportSize({ width: 360, height: 800 });
	await page.goto(`${origin}/sub/authority/`);
	const r = await page.evaluate(() => [...document.querySelectorAll(".terms li")]
	    .map((li) => [li.querySelector("a").textContent,
		    li.getBoundingClientRect().right -
		    li.querySelector(".term-count").getBoundingClientRect().right]));
	if (!r.length)
		problems.push("no terms on sub/authority/");
	for (const [name, gap] of r)
		if (Math.abs(gap) > 1)
			problems.push(`the count of '${name}' ends ${Math.round(gap)} px short of the right edge`);
	await page.close();
	return problems;
}

// The search box is white in either scheme, and so is drawn Chromium's
// button that clears it: in the dark scheme too it stands out from the
// white by 3:1 (WCAG 1.4.11). Its pixels are read from a screenshot of the
// box, right of the words typed and inside the border and focus ring.
async function clearButtonTests(context, origin) {
	const problems = [];
	const page = await context.newPage();
	const canvas = await context.newPage();
	for (const scheme of ["light", "dark"]) {
		await page.emulateMedia({ colorScheme: scheme });
		await page.goto(`${origin}/about/index.html`);
		await page.focus("#search-q");
		await page.keyboard.type("kasp");
		await page.waitForSelector("#search-results:not([hidden])");
		const png = await page.locator("#search-q").screenshot();
		const darkest = await canvas.evaluate(async (src) => {
			const img = new Image();
			img.src = src;
			await img.decode();
			const c = document.createElement("canvas");
			c.width = img.width;
			c.height = img.height;
			const g = c.getContext("2d");
			g.drawImage(img, 0, 0);
			const x0 = Math.round(img.width * 0.6), inset = 6;
			const d = g.getImageData(x0, inset, img.width - x0 - inset,
			    img.height - 2 * inset).data;
			const lin = (v) => (v /= 255) <= 0.04045 ? v / 12.92 :
			    ((v + 0.055) / 1.055) ** 2.4;
			let min = 1;
			for (let i = 0; i < d.length; i += 4)
				min = Math.min(min, 0.2126 * lin(d[i]) +
				    0.7152 * lin(d[i + 1]) + 0.0722 * lin(d[i + 2]));
			return min;
		}, `data:image/png;base64,${png.toString("base64")}`);
		const contrast = 1.05 / (darkest + 0.05);
		if (contrast < 3)
			problems.push(`${scheme}: the button that clears the box stands ` +
			    `out by ${contrast.toFixed(2)}:1`);
	}
	await page.close();
	await canvas.close();
	return problems;
}

// The list of a facet marks itself, and only itself, as the page open in
// its "Browse by" line, as the navigation marks the page open.
async function browseTests(context, origin) {
	const problems = [];
	const page = await context.newPage();
	for (const rel of ["status/index.html", "country/index.html",
	    "authority/index.html", "type/index.html", "sub/type/"]) {
		await page.goto(`${origin}/${rel}`);
		const r = await page.evaluate(() => [...document.querySelectorAll(".browse a")]
		    .map((a) => ({ text: a.textContent, self: a.href === location.href ||
			    a.href === new URL("index.html", location.href).href,
			    current: a.getAttribute("aria-current") })));
		if (r.length !== 4)
			problems.push(`${rel}: ${r.length} links to browse by`);
		for (const l of r)
			if (l.self !== (l.current === "page"))
				problems.push(`${rel}: '${l.text}' ` + (l.self ?
				    "is the page open, not marked so" :
				    `is marked aria-current="${l.current}"`));
	}
	await page.close();
	return problems;
}

// A chart shows its narrow drawing on a phone and its wide one on a
// desktop and on paper; on a screen its labels are about the size of the
// text, and inside the drawing.
async function chartTests(context, origin) {
	const problems = [];
	const page = await context.newPage();
	for (const [width, shown, media] of [[320, "narrow"], [390, "narrow"],
	    [1280, "wide"], [390, "wide", "print"]]) {
		await page.emulateMedia({ media: media || "screen" });
		await page.setViewportSize({ width, height: 800 });
		await page.goto(`${origin}/sub/index.html`);
		const r = await page.evaluate(() => [...document.querySelectorAll(".chart")]
		    .map((fig) => {
			    const svgs = [...fig.querySelectorAll("svg")]
				.filter((svg) => svg.getBoundingClientRect().width > 0);
			    if (svgs.length !== 1)
				    return { what: fig.className, shown: svgs.length };
			    const svg = svgs[0], box = svg.getBoundingClientRect();
			    const scale = box.width / svg.viewBox.baseVal.width;
			    return {
				    what: fig.className, shown: 1,
				    drawing: svg.classList.contains("chart-narrow") ? "narrow" : "wide",
				    labels: [...svg.querySelectorAll(".chart-label, .chart-value")]
					.map((t) => {
						const b = t.getBoundingClientRect();
						return { text: t.textContent,
						    px: parseFloat(getComputedStyle(t).fontSize) * scale,
						    inside: b.left >= box.left - 0.5 && b.right <= box.right + 0.5 };
					}),
			    };
		    }));
		if (r.length < 3)
			problems.push(`${width} px: ${r.length} charts on the home page, not 3`);
		// On paper every bar is one grey, whatever its status's colour.
		if (media === "print") {
			const fills = await page.evaluate(() => [...document
			    .querySelectorAll(".chart-bar")].map((b) => getComputedStyle(b).fill));
			for (const f of new Set(fills))
				if (f !== "rgb(85, 85, 85)")
					problems.push(`print: a chart bar is filled ${f}, not grey`);
		}
		for (const c of r) {
			if (c.shown !== 1) {
				problems.push(`${width} px: ${c.what}: ${c.shown} drawings shown, not 1`);
				continue;
			}
			if (c.drawing !== shown)
				problems.push(`${width} px${media ? " " + media : ""}: ${c.what}: the ${c.drawing} drawing is shown`);
			for (const l of media ? [] : c.labels) {
				if (l.px < 12)
					problems.push(`${width} px: ${c.what}: '${l.text}' is ${l.px.toFixed(1)} px high`);
				if (!l.inside)
					problems.push(`${width} px: ${c.what}: '${l.text}' is cut by the drawing's edge`);
			}
		}
	}
	await page.close();
	return problems;
}

// Pages of every kind, for the reading tests below.
const EVERY_KIND = ["index.html", "vendors/index.html",
	"vendors/kaspersky/index.html", "status/banned/index.html",
	"authority/index.html", "timeline/index.html", "changes/index.html",
	"changes/2026/index.html", "about/index.html", "reports/2017/index.html",
	"404.html", "sub/index.html", "sub/vendors/longname/index.html",
	"paged/timeline/2019/index.html", "paged/changes/2021/index.html"];

// Read from disk, where a test may add a style sheet of its own (the
// server's Content-Security-Policy refuses one).
function fileUrl(rel) {
	const m = /^(sub|paged)\/(.*)$/.exec(rel);
	return m ? `file://${OUT}/${m[1]}/${m[2]}` : `file://${OUT}/register/${rel}`;
}

// The boxes of a page's text that its text does not fit: visible
// overflow runs into what is next to it, hidden overflow is cut off.
// Boxes that scroll on their own, and text hidden for screen readers
// only, are left out.
function overflowingText() {
	const out = [];
	for (const el of document.body.querySelectorAll("*")) {
		if (!(el instanceof HTMLElement) || !el.checkVisibility() ||
		    el.closest(".visually-hidden") ||
		    getComputedStyle(el.closest("thead") || el).clipPath !== "none")
			continue;
		const cs = getComputedStyle(el);
		if (cs.display === "inline" || el.clientWidth === 0 ||
		    /(auto|scroll)/.test(cs.overflowX))
			continue;
		if (el.scrollWidth > el.clientWidth + 1)
			out.push(`${el.tagName.toLowerCase()}.${el.className}: ` +
			    `'${el.textContent.trim().slice(0, 30)}' takes ` +
			    `${el.scrollWidth} px of ${el.clientWidth}`);
		if (/(hidden|clip)/.test(cs.overflowY) &&
		    el.scrollHeight > el.clientHeight + 1)
			out.push(`${el.tagName.toLowerCase()}.${el.className}: ` +
			    `'${el.textContent.trim().slice(0, 30)}' cut at ` +
			    `${el.clientHeight} px of ${el.scrollHeight}`);
	}
	return out;
}

// WCAG 1.4.12: with the text spacing a reader may force on every
// element, on a desktop and on a phone, no text runs out of its box.
const TEXT_SPACING = `* { line-height: 1.5 !important;
	letter-spacing: 0.12em !important; word-spacing: 0.16em !important; }
	p { margin-bottom: 2em !important; }`;

// A chart's label, drawn in its SVG, that starts before the drawing's
// left edge (the wide drawing's labels end at the bars): cut there.
function chartLabelsCut() {
	return [...document.querySelectorAll("svg.chart-svg")]
	    .filter((svg) => svg.getClientRects().length > 0)
	    .flatMap((svg) => [...svg.querySelectorAll("text.chart-label")])
	    .filter((t) => t.getBBox().x < 0)
	    .map((t) => `chart label '${t.lastChild.textContent.trim()}' ` +
		`cut at the drawing's edge (x ${Math.round(t.getBBox().x)})`);
}

async function textSpacingTests(context) {
	const problems = [];
	const page = await context.newPage();
	for (const width of [1280, 320]) {
		await page.setViewportSize({ width, height: 800 });
		for (const rel of EVERY_KIND) {
			await page.goto(fileUrl(rel));
			await page.addStyleTag({ content: TEXT_SPACING });
			for (const p of await page.evaluate(overflowingText))
				problems.push(`${width} px: ${rel}: ${p}`);
			for (const p of await page.evaluate(chartLabelsCut))
				problems.push(`${width} px: ${rel}: ${p}`);
		}
	}
	await page.close();
	return problems;
}

// In forced colours (Windows high contrast) the browser puts the
// reader's colours in place of the page's: backgrounds become the
// page's, and a transparent border shows. What the colours told must
// still show: the link to the page open in the navigation, the year
// and the page open in the year and page lists; a badge or a tag keeps
// a border.
async function forcedColorsTests(context) {
	const problems = [];
	const page = await context.newPage();
	for (const scheme of ["light", "dark"]) {
		await page.emulateMedia({ forcedColors: "active", colorScheme: scheme });
		for (const [rel, lists] of [
			["timeline/index.html", [".site-nav"]],
			["paged/timeline/2019/index.html", [".year-nav", ".pager"]],
			["paged/changes/2021/index.html", [".year-nav", ".pager"]],
		]) {
			await page.goto(fileUrl(rel));
			const r = await page.evaluate((lists) => lists.map((sel) => {
				const canvas = getComputedStyle(document.body).backgroundColor;
				const seen = (c) => c !== canvas && !/rgba\(.*, 0\)$|transparent/.test(c);
				const look = (a) => {
					const cs = getComputedStyle(a);
					return ["Top", "Right", "Bottom", "Left"].map((side) =>
					    cs[`border${side}Style`] !== "none" &&
					    parseFloat(cs[`border${side}Width`]) > 0 &&
					    seen(cs[`border${side}Color`]) ?
					    `${cs[`border${side}Width`]} ${cs[`border${side}Color`]}` : "-")
					    .concat([seen(cs.backgroundColor) ? cs.backgroundColor : "-",
						cs.color, cs.textDecorationLine, cs.fontWeight]).join(" ");
				};
				const links = [...document.querySelectorAll(`${sel} a`)];
				const current = links.find((a) => a.hasAttribute("aria-current"));
				if (!current)
					return `${sel}: no link to the page open`;
				const alike = links.filter((a) => a !== current &&
				    look(a) === look(current));
				return alike.length ? `${sel}: '${current.textContent}' looks as ` +
				    `'${alike[0].textContent}' does (${look(current)})` : null;
			}), lists);
			for (const p of r.filter(Boolean))
				problems.push(`${scheme}: ${rel}: ${p}`);
			// The link to the page open, reached by the keyboard,
			// shows the focus ring the others do.
			for (const sel of lists) {
				const cur = `${sel} a[aria-current]`;
				await page.focus(cur);
				await page.keyboard.press("Shift+Tab");
				await page.keyboard.press("Tab");
				const ring = await page.evaluate((cur) => {
					const a = document.activeElement;
					if (a !== document.querySelector(cur))
						return "not reached by the keyboard";
					const cs = getComputedStyle(a);
					return cs.outlineStyle !== "none" &&
					    parseFloat(cs.outlineWidth) > 0 &&
					    !/rgba\(.*, 0\)$|transparent/.test(cs.outlineColor) ?
					    null : `no focus ring (${cs.outlineStyle} ` +
					    `${cs.outlineWidth} ${cs.outlineColor})`;
				}, cur);
				if (ring)
					problems.push(`${scheme}: ${rel}: ${sel}: the link ` +
					    `to the page open has ${ring}`);
			}
		}
		await page.goto(fileUrl("vendors/index.html"));
		const bare = await page.evaluate(() => [...document.querySelectorAll(".badge, .tag")]
		    .filter((b) => {
			    const cs = getComputedStyle(b);
			    return cs.borderTopStyle === "none" || parseFloat(cs.borderTopWidth) === 0 ||
				cs.borderTopColor === getComputedStyle(document.body).backgroundColor;
		    }).map((b) => b.textContent));
		if (bare.length)
			problems.push(`${scheme}: vendors/index.html: no border on ${bare.slice(0, 3).join(", ")}`);
	}
	await page.close();
	return problems;
}

// At a phone's width, a status badge after a vendor's name in prose stays
// on the line of the name's last word, wherever the line ends: the
// paragraph is narrowed a pixel at a time so that each name and badge in
// turn reach its end. A long name still wraps between its words.
async function badgeTests(context, origin) {
	const problems = [];
	const page = await context.newPage();
	await page.setViewportSize({ width: 390, height: 844 });
	for (const rel of ["reports/2017/index.html", "sub/about/"]) {
		await page.goto(`${origin}/${rel}`);
		const r = await page.evaluate(() => {
			const out = { apart: [], links: 0, wraps: 0 };
			const nameOf = (b) => [b.previousElementSibling,
				b.parentElement.previousElementSibling]
			    .find((e) => e?.matches(".vendor-link"));
			const badges = [...document.querySelectorAll("main .prose .badge")]
			    .filter(nameOf);
			out.links = badges.length;
			for (const b of badges) {
				const p = b.closest("p");
				const link = nameOf(b);
				const full = p.getBoundingClientRect().width;
				// Down to a 320 px screen's, where the last word and
				// the badge still fit on a line.
				for (let w = Math.round(full); w >= 280; w--) {
					p.style.maxWidth = `${w}px`;
					const lines = link.getClientRects();
					const last = lines[lines.length - 1];
					const r = b.getBoundingClientRect();
					const mid = (r.top + r.bottom) / 2;
					if (lines.length > 1 && new Set([...lines].map((l) => l.top)).size > 1)
						out.wraps++;
					if (mid < last.top || mid > last.bottom) {
						out.apart.push(`'${link.textContent}' ends at ` +
						    `${Math.round(last.top)}-${Math.round(last.bottom)}, ` +
						    `its badge at ${Math.round(r.top)} (paragraph ${w} px)`);
						break;
					}
				}
				p.style.maxWidth = "";
			}
			return out;
		});
		if (r.links === 0)
			problems.push(`${rel}: no badge after a vendor's name`);
		for (const a of r.apart)
			problems.push(`${rel}: ${a}`);
		if (rel.startsWith("sub/") && r.wraps === 0)
			problems.push(`${rel}: no name wraps between its words`);
	}
	await page.close();
	return problems;
}

// A response's attribution starts where the text of its quote does.
async function responseTests(context, origin) {
	const problems = [];
	const page = await context.newPage();
	for (const width of [360, 1280]) {
		await page.setViewportSize({ width, height: 800 });
		await page.goto(`${origin}/vendors/kaspersky/index.html`);
		const r = await page.evaluate(() => [...document.querySelectorAll(".response")]
		    .map((f) => {
			    const range = document.createRange();
			    range.selectNodeContents(f.querySelector("blockquote"));
			    return range.getClientRects()[0].left -
				parseFloat(getComputedStyle(f.querySelector("figcaption")).paddingLeft) -
				f.querySelector("figcaption").getBoundingClientRect().left;
		    }));
		if (!r.length)
			problems.push(`${width} px: no response on Kaspersky Lab's page`);
		else if (r.some((d) => Math.abs(d) > 1))
			problems.push(`${width} px: the attribution starts ${r[0].toFixed(1)} px left of the quote's text`);
	}
	await page.close();
	return problems;
}

// A redirect page (here an alias; a renamed record's is the same) sends
// its reader on without JavaScript; held there, as by a browser that does
// not follow the refresh, it reads as a page of the site, on a phone and
// a desktop, in the light and dark schemes.
async function redirectTests(browserContext, origin) {
	const problems = [];
	const from = `${origin}/sub/old/about/`;
	const context = await browserContext.browser()?.newContext({ javaScriptEnabled: false }) ??
	    null;
	let page = context ? await context.newPage() : await browserContext.newPage();
	await page.goto(from);
	await page.waitForURL(`${origin}/sub/about/`, { timeout: 5000 })
	    .catch(() => problems.push(`without JavaScript the redirect stays at ${page.url()}`));
	await (context ? context.close() : page.close());
	page = await browserContext.newPage();
	await page.addInitScript(CSP_WATCH);
	// A navigation answered with 204 No Content leaves the page shown.
	await page.route(`${origin}/sub/about/`, (r) => r.fulfill({ status: 204 }));
	await page.goto(from);
	await page.waitForTimeout(300);
	for (const [width, scheme] of [[390, "light"], [1280, "dark"]]) {
		await page.setViewportSize({ width, height: 844 });
		await page.emulateMedia({ colorScheme: scheme });
		const r = await page.evaluate(() => {
			const link = document.querySelector("body p a");
			const title = document.querySelector(".site-title");
			const text = document.querySelector("body p");
			return {
				sheets: [...document.styleSheets].map((s) => String(s.href).replace(/^.*\/sub\//, "")),
				text: text?.textContent,
				href: link?.getAttribute("href"),
				canonical: document.querySelector("link[rel=canonical]")?.href,
				refresh: document.querySelector("meta[http-equiv=refresh]")?.content,
				inline: document.querySelectorAll("style, script, [style]").length,
				title: title?.getAttribute("href"),
				// Under the site's title, as on its other pages.
				left: [title?.getBoundingClientRect().left, text?.getBoundingClientRect().left],
				bg: getComputedStyle(document.body).backgroundColor,
				wide: document.documentElement.scrollWidth > innerWidth,
			};
		});
		const at = `${width} px, ${scheme}`;
		if (r.sheets.join() !== "assets/style.css")
			problems.push(`${at}: the stylesheets are ${JSON.stringify(r.sheets)}`);
		if (r.text !== "This page has moved to About this register." || r.href !== "../../about/")
			problems.push(`${at}: the page reads '${r.text}', linking to ${r.href}`);
		if (r.refresh !== "0; url=../../about/" ||
		    r.canonical !== "https://register.example.org/sub/about/")
			problems.push(`${at}: refresh '${r.refresh}', canonical ${r.canonical}`);
		if (r.inline)
			problems.push(`${at}: ${r.inline} inline styles or scripts`);
		if (r.title !== "../../")
			problems.push(`${at}: the site's title links to ${r.title}`);
		if (Math.abs(r.left[0] - r.left[1]) > 1)
			problems.push(`${at}: the text starts at ${r.left[1]}, the site's title at ${r.left[0]}`);
		if ((scheme === "dark") !== (r.bg === "rgb(0, 0, 0)" || /^rgb\((\d|[1-4]\d),/.test(r.bg)))
			problems.push(`${at}: the background is ${r.bg}`);
		if (r.wide)
			problems.push(`${at}: the page overflows horizontally`);
		const axe = await new AxeBuilder({ page })
		    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
		for (const v of axe.violations)
			problems.push(`${at}: ${v.id}: ${v.help}`);
	}
	const csp = await page.evaluate(() => window.__csp || []);
	problems.push(...csp.map((c) => `CSP violation: ${c}`));
	await page.close();
	return problems;
}

// Pages opened from disk cannot fetch search-index.json: the index comes
// from assets/search-index.js.
async function searchFromDisk(context) {
	const problems = [];
	const page = await context.newPage();
	page.on("pageerror", (e) => problems.push(`script error: ${e.message}`));
	await page.goto(`file://${OUT}/register/timeline/index.html`);
	await page.focus("#search-q");
	await page.keyboard.type("kasp");
	await page.waitForSelector("#search-results:not([hidden]) a", { timeout: 5000 })
	    .catch(() => problems.push("no results from disk"));
	const href = await page.getAttribute("#search-results a", "href").catch(() => null);
	if (href !== "../vendors/kaspersky/index.html")
		problems.push(`the first result links to '${href}'`);
	await page.close();
	return problems;
}

// Without JavaScript the search box submits to the plain vendors list.
async function searchWithoutScript(browserContext, origin) {
	const problems = [];
	const context = await browserContext.browser()?.newContext({ javaScriptEnabled: false }) ??
	    null;
	const page = context ? await context.newPage() : await browserContext.newPage();
	if (!context)
		await page.route("**/*.js", (r) => r.abort());
	await page.goto(`${origin}/index.html`);
	await page.fill("#search-q", "kasp");
	await Promise.all([page.waitForNavigation(), page.press("#search-q", "Enter")]);
	if (page.url() !== `${origin}/vendors/index.html?q=kasp`)
		problems.push(`the form went to ${page.url()}`);
	if (!(await page.isVisible("table.register a[href$='vendors/kaspersky/index.html']")))
		problems.push("the vendors list does not show Kaspersky Lab");
	await page.close();
	if (context)
		await context.close();
	return problems;
}

// A year of 450 changes: five pages, walked with the pager's links.
async function pagerTests(context, origin) {
	const problems = [];
	const page = await context.newPage();
	await page.goto(`${origin}/paged/changes/2021/index.html`);
	const seen = [];
	for (;;) {
		const r = await page.evaluate(() => ({
			title: document.title,
			items: document.querySelectorAll("li.change").length,
			current: document.querySelector(".pager [aria-current=page]")?.textContent,
			year: document.querySelector(".year-nav [aria-current]")?.textContent,
			links: [...document.querySelectorAll(".pager li")].map((li) => li.textContent.trim()),
		}));
		seen.push(`${r.current}:${r.items}`);
		if (r.year !== "2021")
			problems.push(`page ${r.current}: the year list marks "${r.year}"`);
		if (r.current === "1" && r.links.join(" ") !== "1 2 3 … 5 Older changes")
			problems.push(`page 1: pager reads "${r.links.join(" ")}"`);
		if (r.current === "3" && r.links.join(" ") !== "Newer changes 1 2 3 4 5 Older changes")
			problems.push(`page 3: pager reads "${r.links.join(" ")}"`);
		if (r.current !== "1" && !r.title.startsWith(`Changes in 2021, page ${r.current} of 5`))
			problems.push(`page ${r.current}: title "${r.title}"`);
		const older = page.locator(".pager a[rel=next]");
		if (await older.count() === 0 || seen.length > 6)
			break;
		const next = new URL(await older.getAttribute("href"), page.url()).href;
		await older.focus();
		await Promise.all([page.waitForURL(next, { waitUntil: "load" }),
			page.keyboard.press("Enter")]);
	}
	if (seen.join(" ") !== "1:100 2:100 3:100 4:100 5:50")
		problems.push(`walked ${seen.join(" ")}`);
	const prev = page.locator(".pager a[rel=prev]");
	if (await prev.count() === 1) {
		const to = new URL(await prev.getAttribute("href"), page.url()).href;
		await Promise.all([page.waitForURL(to, { waitUntil: "load" }), prev.click()]);
	}
	if (!page.url().endsWith("/paged/changes/2021/page/4/index.html"))
		problems.push(`"Newer changes" from page 5 opens ${page.url()}`);
	await page.close();
	return problems;
}

async function printTests(context, origin) {
	const problems = [];
	for (const rel of ["index.html", "vendors/kaspersky/index.html",
		"timeline/index.html", "sub/vendors/longname/", "sub/about/"]) {
		const page = await context.newPage();
		await page.goto(`${origin}/${rel}`);
		await page.emulateMedia({ media: "print" });
		const r = await page.evaluate(() => {
			const shown = (sel) => [...document.querySelectorAll(sel)]
			    .some((el) => el.checkVisibility());
			const main = document.querySelector("main");
			return {
				nav: shown(".site-nav, .site-search, .skip-link, .breadcrumbs"),
				// A closed :::details cannot be opened on paper.
				closed: [...document.querySelectorAll("details > :not(summary)")]
				    .filter((el) => !el.checkVisibility()).length,
				main: main && main.checkVisibility() && main.innerText.length > 100,
				size: parseFloat(getComputedStyle(main).fontSize),
				color: getComputedStyle(main).color,
				footer: getComputedStyle(document.querySelector(".site-footer"))
				    .breakInside,
			};
		});
		if (r.nav)
			problems.push(`${rel}: navigation is printed`);
		if (!r.main)
			problems.push(`${rel}: the main content is not printed`);
		if (r.closed)
			problems.push(`${rel}: ${r.closed} blocks of closed details are not printed`);
		if (r.size < 13)
			problems.push(`${rel}: printed text is ${r.size} px`);
		if (r.color !== "rgb(0, 0, 0)")
			problems.push(`${rel}: printed text is ${r.color}`);
		// Not cut by a page break, with its last line alone on a sheet.
		if (r.footer !== "avoid")
			problems.push(`${rel}: the footer may be cut by a page break`);
		const pdf = await page.pdf({ format: "A4", printBackground: false });
		const pagesInPdf = (pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) || []).length;
		if (pdf.subarray(0, 5).toString() !== "%PDF-" || pagesInPdf < 1)
			problems.push(`${rel}: no PDF`);
		await page.close();
	}
	return problems;
}

// Printed, the timeline's dates take the width of the longest date, not a
// share of the page, and none is cut: measured at the width of an A4
// page's text (21 cm less the margins of 1.8 cm).
async function printTimelineTests(context, origin) {
	const problems = [];
	const page = await context.newPage();
	await page.setViewportSize({ width: 658, height: 900 });
	await page.emulateMedia({ media: "print" });
	for (const rel of ["timeline/index.html", "sub/timeline/"]) {
		await page.goto(`${origin}/${rel}`);
		const r = await page.evaluate(() => [...document.querySelectorAll(".events > .event")]
		    .map((ev) => {
			    const date = ev.querySelector(".event-date");
			    const range = document.createRange();
			    range.selectNodeContents(date);
			    const text = range.getBoundingClientRect();
			    const body = ev.querySelector(".event-body").getBoundingClientRect();
			    return {
				    date: date.textContent,
				    text: text.width,
				    end: text.right,
				    column: date.getBoundingClientRect().width,
				    body: body.left,
				    page: ev.getBoundingClientRect().width,
			    };
		    }));
		if (r.length === 0) {
			problems.push(`${rel}: no events`);
			continue;
		}
		const widest = Math.max(...r.map((e) => e.text));
		const column = Math.max(...r.map((e) => e.column));
		if (column > widest + 1)
			problems.push(`${rel}: the dates' column is ${Math.round(column)} px ` +
			    `(${Math.round(100 * column / r[0].page)} % of the page) for ` +
			    `dates of at most ${Math.round(widest)} px`);
		for (const e of r.filter((e) => e.text > e.column + 0.5 || e.end > e.body).slice(0, 3))
			problems.push(`${rel}: '${e.date}' is cut (${Math.round(e.text)} px in ${Math.round(e.column)} px)`);
	}
	// On A4, eight events or more a sheet: the sources by publisher,
	// without their addresses, which the vendor pages print.
	await page.goto(`${origin}/timeline/index.html`);
	const events = await page.locator(".events > .event").count();
	const after = await page.evaluate(() => [...document.querySelectorAll(".event-sources a")]
	    .filter((a) => getComputedStyle(a, "::after").content !== "none").length);
	if (after)
		problems.push(`timeline: ${after} sources print their address`);
	const pdf = await page.pdf({ format: "A4", printBackground: false });
	const sheets = (pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) || []).length;
	if (events < 40 || sheets > Math.ceil(events / 8))
		problems.push(`timeline: ${events} events print on ${sheets} sheets`);
	await page.close();
	return problems;
}

// On a desktop the dates of the timeline, of a page's list of actions and
// of the changes keep to one line in their column: "13 September 2017"
// in bold as wide as it is in DejaVu Sans, the sans-serif of Debian.
async function dateColumnTests(context, origin) {
	const problems = [];
	const page = await context.newPage();
	for (const width of [768, 1280]) {
		await page.setViewportSize({ width, height: 900 });
		for (const rel of ["timeline/index.html", "reports/2017/index.html",
		    "changes/index.html", "sub/timeline/"]) {
			await page.goto(`${origin}/${rel}`);
			const r = await page.evaluate(() =>
			    [...document.querySelectorAll(".event-date, .change-date")]
			    .map((date) => {
				    const range = document.createRange();
				    range.selectNodeContents(date);
				    const lines = new Set([...range.getClientRects()]
					.map((b) => Math.round(b.top)));
				    return { date: date.textContent, lines: lines.size };
			    }));
			if (r.length === 0)
				problems.push(`${rel}: no dates`);
			for (const e of r.filter((e) => e.lines > 1).slice(0, 3))
				problems.push(`${rel} at ${width} px: '${e.date}' ` +
				    `takes ${e.lines} lines`);
		}
	}
	await page.close();
	return problems;
}

// On a phone an action's date in the search results keeps to one line
// ("13 September 2017", never "13" at the end of one and "September 2017"
// on the next), and no line begins with a '·'; the title and the rest of
// the line may wrap.
async function searchDateTests(context, origin) {
	const problems = [];
	const page = await context.newPage();
	for (const width of [320, 390]) {
		await page.setViewportSize({ width, height: 844 });
		await page.goto(`${origin}/index.html`);
		await page.fill("#search-q", "september");
		await page.waitForSelector("#search-results:not([hidden]) a");
		const r = await page.evaluate(() =>
		    [...document.querySelectorAll("#search-results .search-meta")]
		    .map((meta) => {
			    const text = meta.textContent;
			    const m = /\d{1,2} [A-Z][a-z]+ \d{4}$/.exec(text);
			    if (!m)
				    return null;
			    // The date's characters, in whichever text nodes hold them.
			    const range = document.createRange();
			    const walk = document.createTreeWalker(meta, NodeFilter.SHOW_TEXT);
			    let at = 0, n, started = false;
			    while ((n = walk.nextNode())) {
				    const end = at + n.data.length;
				    if (!started && m.index < end) {
					    range.setStart(n, m.index - at);
					    started = true;
				    }
				    at = end;
				    range.setEnd(n, n.data.length);
			    }
			    const lines = new Set([...range.getClientRects()]
				.filter((b) => b.width > 0).map((b) => Math.round(b.top)));
			    return { date: m[0], lines: lines.size };
		    }).filter((e) => e !== null));
		if (r.length === 0)
			problems.push(`at ${width} px: no dates in the results for 'september'`);
		for (const e of r.filter((e) => e.lines > 1).slice(0, 3))
			problems.push(`at ${width} px: '${e.date}' takes ${e.lines} lines`);
		// Nor may a line begin with a separator: a no-break space before each.
		const seps = await page.$$eval("#search-results .search-meta",
		    (ms) => ms.map((m) => m.textContent).filter((t) => / \u00b7/.test(t)));
		for (const t of seps.slice(0, 3))
			problems.push(`at ${width} px: a separator after a breaking space in '${t}'`);
	}
	await page.close();
	return problems;
}

// On a phone a date keeps to one line wherever it is ("deadline 13
// August 2019" may wrap before the date, never inside it): in a vendor's
// facts and sources, a list of actions, the changes and a page's footer.
async function phoneDateTests(context, origin) {
	const problems = [];
	const page = await context.newPage();
	for (const width of [320, 390]) {
		await page.setViewportSize({ width, height: 844 });
		for (const rel of ["index.html", "vendors/kaspersky/index.html",
		    "type/law/index.html", "timeline/index.html", "changes/index.html",
		    "authority/us-congress/index.html"]) {
			await page.goto(`${origin}/${rel}`);
			const r = await page.evaluate(() =>
			    [...document.querySelectorAll("time")]
			    .filter((t) => /^\d{1,2} [A-Z][a-z]+ \d{4}$/.test(t.textContent))
			    .map((t) => {
				    const range = document.createRange();
				    range.selectNodeContents(t);
				    const lines = new Set([...range.getClientRects()]
					.filter((b) => b.width > 0).map((b) => Math.round(b.top)));
				    return { date: t.textContent, lines: lines.size };
			    }));
			if (r.length === 0)
				problems.push(`${rel}: no dates`);
			for (const e of r.filter((e) => e.lines > 1).slice(0, 3))
				problems.push(`${rel} at ${width} px: '${e.date}' takes ${e.lines} lines`);
		}
	}
	await page.close();
	return problems;
}

// Paper is white, whatever the reader's colour scheme: printed from a
// browser in the dark scheme, every text (the as-of band's too) keeps a
// contrast of 4.5:1 on white.
async function printDarkTests(context, origin) {
	const problems = [];
	for (const url of [`file://${OUT}/asof/index.html`,
		`${origin}/vendors/kaspersky/index.html`, `${origin}/sub/about/`]) {
		const page = await context.newPage();
		await page.emulateMedia({ media: "print", colorScheme: "dark" });
		await page.goto(url);
		const low = await page.evaluate(() => {
			const lum = (c) => {
				const [r, g, b] = c.match(/[\d.]+/g).slice(0, 3).map((v) => {
					v /= 255;
					return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
				});
				return 0.2126 * r + 0.7152 * g + 0.0722 * b;
			};
			const out = [];
			for (const el of document.querySelectorAll("body *")) {
				if (![...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim()) ||
				    !el.checkVisibility() || el.closest(".visually-hidden"))
					continue;
				const ratio = 1.05 / (lum(getComputedStyle(el).color) + 0.05);
				if (ratio < 4.5)
					out.push(`${el.tagName.toLowerCase()}.${el.className} ` +
					    `'${el.textContent.trim().slice(0, 30)}' at ${ratio.toFixed(1)}:1`);
			}
			return out;
		});
		for (const l of low.slice(0, 5))
			problems.push(`${url.replace(/^.*?\/\/[^/]*\//, "")}: ${l}`);
		await page.close();
	}
	return problems;
}

function xmllint(args) {
	try {
		execFileSync("xmllint", ["--noout", ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
		return [];
	} catch (e) {
		return (e.stderr || String(e)).trim().split("\n");
	}
}

function feedTests() {
	const feeds = [path.join(OUT, "register/changes/feed.xml"),
		...fs.readdirSync(path.join(OUT, "register/vendors"))
		    .map((v) => path.join(OUT, "register/vendors", v, "feed.xml"))
		    .filter((f) => fs.existsSync(f))];
	if (!fs.existsSync(feeds[0]))
		return ["changes/feed.xml was not written (a build with history writes it)"];
	return xmllint(["--relaxng", path.join(REPO, "tests/history/atom.rng"), ...feeds])
	    .filter((l) => !/ validates$/.test(l));
}

function sitemapTests() {
	const file = path.join(OUT, "sub/sitemap.xml");
	if (!fs.existsSync(file))
		return ["sitemap.xml was not written with base_url"];
	const problems = xmllint(["--relaxng", path.join(HERE, "sitemap.rng"), file])
	    .filter((l) => !/ validates$/.test(l));
	const xml = fs.readFileSync(file, "utf8");
	const raw = [...xml.matchAll(/<loc>([^<]*)<\/loc>/g)].map((m) => m[1]);
	for (const l of raw)
		if (/[^\x21-\x7e]/.test(l))
			problems.push(`sitemap location ${l} is not percent-encoded`);
	const locs = raw.map((l) => decodeURIComponent(l));
	const pages = htmlPages(path.join(OUT, "sub")).filter((p) =>
	    p !== "404.html" && !isRedirect(path.join(OUT, "sub"), p));
	const want = pages.map((p) => TEST_BASE_URL + p.replace(/index\.html$/, ""));
	for (const w of want)
		if (!locs.includes(w))
			problems.push(`sitemap misses ${w}`);
	for (const l of locs)
		if (!want.includes(l))
			problems.push(`sitemap lists ${l}, which is no page`);
	if (new Set(locs).size !== locs.length)
		problems.push("sitemap lists a page twice");
	if (fs.existsSync(path.join(OUT, "register/sitemap.xml")))
		problems.push("sitemap.xml written without base_url");
	const robots = fs.readFileSync(path.join(OUT, "sub/robots.txt"), "utf8");
	if (!robots.includes(`Sitemap: ${TEST_BASE_URL}sitemap.xml`))
		problems.push("robots.txt does not name the sitemap");
	// The register is built with history: its lists are dated.
	return problems;
}

function icsTests() {
	const problems = [];
	const file = path.join(OUT, "sub/timeline/deadlines.ics");
	const data = fs.readFileSync(file);
	const text = data.toString("utf8");
	if (!text.endsWith("\r\n") || /[^\r]\n/.test(text))
		problems.push("lines do not all end in CRLF");
	const lines = text.split("\r\n").slice(0, -1);
	lines.forEach((l, i) => {
		if (Buffer.byteLength(l) > 75)
			problems.push(`line ${i + 1} is ${Buffer.byteLength(l)} octets`);
	});
	if (data.includes(Buffer.from([0xef, 0xbf, 0xbd])))
		problems.push("a fold split a UTF-8 character");
	const unfolded = text.replace(/\r\n[ \t]/g, "").split("\r\n").slice(0, -1);
	if (unfolded[0] !== "BEGIN:VCALENDAR" || unfolded.at(-1) !== "END:VCALENDAR")
		problems.push("not one VCALENDAR");
	for (const p of ["VERSION:2.0", "PRODID:"])
		if (!unfolded.some((l) => l.startsWith(p)))
			problems.push(`no ${p}`);
	const events = text.replace(/\r\n[ \t]/g, "").split("BEGIN:VEVENT").slice(1);
	const uids = events.map((e) => (e.match(/\r\nUID:([^\r]*)/) || [])[1]);
	for (const e of events)
		for (const p of ["UID:", "DTSTAMP:", "DTSTART;VALUE=DATE:", "SUMMARY:"])
			if (!e.includes(`\r\n${p}`))
				problems.push(`an event has no ${p}`);
	if (new Set(uids).size !== uids.length)
		problems.push("UIDs are not unique");
	const vendors = JSON.parse(fs.readFileSync(path.join(OUT, "sub/data/vendors.json")));
	const deadlines = vendors.vendors.flatMap((v) => v.actions).filter((a) => a.deadline).length;
	if (events.length !== deadlines)
		problems.push(`${events.length} events for ${deadlines} deadlines`);
	if (!/SUMMARY:Deadline: A very long action title/.test(text.replace(/\r\n /g, "")))
		problems.push("the summary of a folded line is wrong after unfolding");
	return problems;
}

// RFC 4180 reader: enough to count and compare rows.
function parseCsv(text) {
	const rows = [];
	let row = [], field = "", q = false;
	for (let i = 0; i < text.length; i++) {
		const c = text[i];
		if (q) {
			if (c === "\"" && text[i + 1] === "\"") { field += "\""; i++; }
			else if (c === "\"") q = false;
			else field += c;
		} else if (c === "\"") q = true;
		else if (c === ",") { row.push(field); field = ""; }
		else if (c === "\r" && text[i + 1] === "\n") { row.push(field); rows.push(row); row = []; field = ""; i++; }
		else field += c;
	}
	return rows;
}

function dataTests() {
	const problems = [];
	for (const site of ["register", "sub"]) {
		const dir = path.join(OUT, site, "data");
		const json = JSON.parse(fs.readFileSync(path.join(dir, "vendors.json")));
		const vendors = parseCsv(fs.readFileSync(path.join(dir, "vendors.csv"), "utf8"));
		const actions = parseCsv(fs.readFileSync(path.join(dir, "actions.csv"), "utf8"));
		const pkg = JSON.parse(fs.readFileSync(path.join(dir, "datapackage.json")));
		const nActions = json.vendors.reduce((n, v) => n + v.actions.length, 0);
		if (vendors.length - 1 !== json.vendors.length)
			problems.push(`${site}: vendors.csv has ${vendors.length - 1} rows for ${json.vendors.length} vendors`);
		if (actions.length - 1 !== nActions)
			problems.push(`${site}: actions.csv has ${actions.length - 1} rows for ${nActions} actions`);
		for (const [name, rows] of [["vendors", vendors], ["actions", actions]]) {
			const res = pkg.resources.find((r) => r.name === name);
			const cols = res.schema.fields.map((f) => f.name);
			if (rows[0].join() !== cols.join())
				problems.push(`${site}: ${name}.csv header differs from datapackage.json`);
			if (rows.some((r) => r.length !== cols.length))
				problems.push(`${site}: a row of ${name}.csv has the wrong number of fields`);
		}
		if (json.license !== "CC BY 4.0" || pkg.licenses?.[0]?.title !== "CC BY 4.0")
			problems.push(`${site}: the licence is missing`);
	}
	const reg = JSON.parse(fs.readFileSync(path.join(OUT, "register/data/vendors.json")));
	const head = execFileSync("git", ["-C", REPO, "rev-parse", "HEAD"], { encoding: "utf8" }).trim();
	if (reg.commit !== head)
		problems.push(`register: vendors.json says commit ${reg.commit}, HEAD is ${head}`);
	return problems;
}

function headTests() {
	const problems = [];
	const html = fs.readFileSync(path.join(OUT, "sub/vendors/longname/index.html"), "utf8");
	const canon = `${TEST_BASE_URL}vendors/longname/`;
	if (!html.includes(`<link rel="canonical" href="${canon}">`))
		problems.push("no canonical link with base_url");
	for (const p of ["og:title", "og:url", "og:type", "og:site_name", "og:description"])
		if (!html.includes(`property="${p}"`))
			problems.push(`no ${p} with base_url`);
	const reg = fs.readFileSync(path.join(OUT, "register/index.html"), "utf8");
	if (/rel="canonical"|property="og:/.test(reg))
		problems.push("canonical or Open Graph tags without base_url");
	return problems;
}

// ---- screenshots ----

async function screenshots(context, origin, dir) {
	fs.mkdirSync(dir, { recursive: true });
	const shots = [
		["home.png", "index.html", 1280],
		["vendor.png", "vendors/kaspersky/index.html", 1280],
		["timeline.png", "timeline/index.html", 1280],
		["facet.png", "status/banned/index.html", 1280],
		["phone-home.png", "index.html", 375],
		["phone-vendor.png", "vendors/kaspersky/index.html", 375],
		["long-names.png", "sub/vendors/longname/", 1280],
	];
	for (const [file, rel, width] of shots) {
		const page = await context.newPage();
		await page.setViewportSize({ width, height: width < 500 ? 812 : 900 });
		await page.goto(`${origin}/${rel}`);
		await page.screenshot({ path: path.join(dir, file), fullPage: true });
		await page.close();
	}
	// The search as you type.
	const page = await context.newPage();
	await page.goto(`${origin}/index.html`);
	await page.focus("#search-q");
	await page.keyboard.type("kasp");
	await page.waitForSelector("#search-results:not([hidden]) a");
	await page.screenshot({ path: path.join(dir, "search.png") });
	await page.close();
	console.log(`screenshots: ${shots.length + 1} written to ${dir}`);
}

// ---- main ----

const t0 = Date.now();
const server = await serve();
const origin = `http://127.0.0.1:${server.address().port}`;
const { context, profile } = await launch();
try {
	if (args.mode === "screenshots") {
		await screenshots(context, origin, path.resolve(args.shots));
	} else {
		const results = { axe: [], overflow: [], keyboard: [], csp: [], requests: [] };
		let total = 0;
		for (const site of SITES) {
			const pages = htmlPages(site.dir, site.only || "");
			total += pages.length;
			console.log(`${site.name}: ${pages.length} pages`);
			await checkPages(context, origin, site, pages, results);
		}
		const nu = nuChecker();
		report(`Nu Html Checker ${nu.version || ""}: no errors in ${total} pages`, nu.problems);
		report(`axe-core ${results.axeVersion}: no WCAG 2.1 A/AA violations`, results.axe);
		report("no request leaves the site", results.requests);
		report("no CSP violation, console error or failed request", results.csp);
		report("keyboard: skip link, visible focus, every link reachable", results.keyboard);
		report("nothing overflows horizontally at 320 px", results.overflow);
		report("search finds Kaspersky by typing 'kasp' and opens its page",
		    await searchTests(context, origin));
		report("search over 510 vendors: fetched when needed, 12 results at a time, counted right",
		    await searchManyTests(context, origin));
		report("long lists on a phone lay out the rows near the screen", await longListTests(context, origin));
		report("a build --as-of says so in a band under the header",
		    await asOfTests(context));
		report("a facet's counts line up on the right on a phone",
		    await termsTests(context, origin));
		report("the button that clears the search box shows in either scheme",
		    await clearButtonTests(context, origin));
		report("a facet's list is marked as the page open where it is browsed by",
		    await browseTests(context, origin));
		report("charts: the narrow drawing on a phone, the wide one on a desktop, legibly",
		    await chartTests(context, origin));
		report("with wider text spacing (WCAG 1.4.12) no text runs out of its box",
		    await textSpacingTests(context));
		report("in forced colours the page open is marked and badges keep a border",
		    await forcedColorsTests(context));
		report("a status badge in prose keeps to the line of its vendor's name",
		    await badgeTests(context, origin));
		report("a response's attribution lines up with its quote",
		    await responseTests(context, origin));
		report("a redirect page forwards without JavaScript and reads as the site's",
		    await redirectTests(context, origin));
		report("search works from disk (assets/search-index.js)",
		    await searchFromDisk(context));
		report("without JavaScript the search box submits to the vendors list",
		    await searchWithoutScript(context, origin));
		report("a year's changes, 100 to a page, walked with the pager", await pagerTests(context, origin));
		report("printing hides the navigation and keeps the content", await printTests(context, origin));
		report("on a desktop a date of the timeline or the changes keeps to one line",
		    await dateColumnTests(context, origin));
		report("on a phone a date in the search results keeps to one line",
		    await searchDateTests(context, origin));
		report("on a phone a date keeps to one line",
		    await phoneDateTests(context, origin));
		report("printed, the timeline's dates take the width they need, on few sheets",
		    await printTimelineTests(context, origin));
		report("printed in the dark scheme, text stays dark on the white paper",
		    await printDarkTests(context, origin));
		report("Atom feeds validate against the RFC 4287 RELAX NG schema", feedTests());
		report("sitemap.xml and robots.txt", sitemapTests());
		report("timeline/deadlines.ics follows RFC 5545", icsTests());
		report("data/*.csv and vendors.json agree, with licence and commit", dataTests());
		report("canonical and Open Graph tags with base_url only", headTests());
		console.log(`browser: ${total} pages checked in ${Math.round((Date.now() - t0) / 1000)} s`);
		console.log(`${passed} passed, ${failed} failed`);
	}
} finally {
	await context.close();
	server.close();
	fs.rmSync(profile, { recursive: true, force: true });
}
process.exit(failed > 0 ? 1 : 0);
