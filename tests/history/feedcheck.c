/*
 * Checks Atom feeds: parses each with libxml2, validates it against
 * atom.rng, and checks what the schema cannot: tag: ids, unique within
 * the feed, at most 50 entries, newest first, none newer than the feed.
 * Prints each feed and its entries, for the expected report.
 *   feedcheck atom.rng FEED...
 */
#include <stdio.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/relaxng.h>
#include <libxml/tree.h>

#define ATOM	"http://www.w3.org/2005/Atom"
#define DOCKET_NS	"tag:docket,2026:atom"

static int failed;

static void
fail(const char *path, const char *msg, const char *what)
{
	fprintf(stderr, "%s: %s%s%s\n", path, msg, what ? ": " : "",
	    what ? what : "");
	failed = 1;
}

/* The text of the first child element `name`, or "" (caller frees). */
static xmlChar *
child_text(xmlNode *n, const char *name)
{
	for (n = n->children; n != NULL; n = n->next)
		if (n->type == XML_ELEMENT_NODE &&
		    strcmp((const char *)n->name, name) == 0)
			return xmlNodeGetContent(n);
	return xmlStrdup((const xmlChar *)"");
}

static xmlChar *
child_attr(xmlNode *n, const char *name, const char *attr)
{
	for (n = n->children; n != NULL; n = n->next)
		if (n->type == XML_ELEMENT_NODE &&
		    strcmp((const char *)n->name, name) == 0)
			return xmlGetProp(n, (const xmlChar *)attr);
	return xmlStrdup((const xmlChar *)"");
}

static void
check(xmlRelaxNGPtr schema, const char *path)
{
	xmlDoc *doc;
	xmlNode *root, *e;
	xmlRelaxNGValidCtxtPtr vc;
	xmlChar *id, *title, *upd, *feed_upd, *prev = NULL, *link;
	xmlChar *ids[64];
	size_t n = 0, i;

	doc = xmlReadFile(path, NULL, XML_PARSE_NONET);
	if (doc == NULL) {
		fail(path, "not well-formed XML", NULL);
		return;
	}
	vc = xmlRelaxNGNewValidCtxt(schema);
	if (xmlRelaxNGValidateDoc(vc, doc) != 0)
		fail(path, "does not match the Atom schema", NULL);
	xmlRelaxNGFreeValidCtxt(vc);
	root = xmlDocGetRootElement(doc);
	if (root == NULL || root->ns == NULL ||
	    strcmp((const char *)root->ns->href, ATOM) != 0) {
		fail(path, "not an Atom feed", NULL);
		xmlFreeDoc(doc);
		return;
	}
	id = child_text(root, "id");
	title = child_text(root, "title");
	feed_upd = child_text(root, "updated");
	if (strncmp((const char *)id, "tag:", 4) != 0)
		fail(path, "feed id is not a tag: URI", (const char *)id);
	printf("feed %s\n  id %s\n  title %s\n  updated %s\n", path, id, title,
	    feed_upd);
	xmlFree(id);
	xmlFree(title);
	/* docket's extension element: the commit the site was built from. */
	for (e = root->children; e != NULL; e = e->next) {
		xmlChar *c, *u, *a;

		if (e->type != XML_ELEMENT_NODE || e->ns == NULL ||
		    strcmp((const char *)e->ns->href, DOCKET_NS) != 0 ||
		    strcmp((const char *)e->name, "commit") != 0)
			continue;
		c = xmlNodeGetContent(e);
		u = xmlGetProp(e, (const xmlChar *)"uncommitted");
		a = xmlGetProp(e, (const xmlChar *)"as-of");
		printf("  commit %s%s%s%s\n", c, u != NULL ? " uncommitted" : "",
		    a != NULL ? " as of " : "", a != NULL ? (char *)a : "");
		xmlFree(c);
		xmlFree(u);
		xmlFree(a);
	}
	for (e = root->children; e != NULL; e = e->next) {
		if (e->type != XML_ELEMENT_NODE ||
		    strcmp((const char *)e->name, "entry") != 0)
			continue;
		id = child_text(e, "id");
		title = child_text(e, "title");
		upd = child_text(e, "updated");
		link = child_attr(e, "link", "href");
		printf("  entry %s\n    %s\n    %s\n    %s\n", upd, id, title,
		    link);
		if (strncmp((const char *)id, "tag:", 4) != 0)
			fail(path, "entry id is not a tag: URI", (const char *)id);
		for (i = 0; i < n && i < 64; i++)
			if (xmlStrEqual(ids[i], id))
				fail(path, "duplicate entry id", (const char *)id);
		if (xmlStrcmp(upd, feed_upd) > 0)
			fail(path, "entry newer than the feed", (const char *)upd);
		if (prev != NULL && xmlStrcmp(upd, prev) > 0)
			fail(path, "entries not newest first", (const char *)upd);
		xmlFree(prev);
		prev = upd;
		if (n < 64)
			ids[n] = id;
		else
			xmlFree(id);
		n++;
		xmlFree(title);
		xmlFree(link);
	}
	if (n > 50)
		fail(path, "more than 50 entries", NULL);
	for (i = 0; i < n && i < 64; i++)
		xmlFree(ids[i]);
	xmlFree(prev);
	xmlFree(feed_upd);
	xmlFreeDoc(doc);
}

int
main(int argc, char *argv[])
{
	xmlRelaxNGParserCtxtPtr pc;
	xmlRelaxNGPtr schema;
	int i;

	if (argc < 3) {
		fprintf(stderr, "usage: feedcheck atom.rng FEED...\n");
		return 2;
	}
	pc = xmlRelaxNGNewParserCtxt(argv[1]);
	if ((schema = xmlRelaxNGParse(pc)) == NULL) {
		fprintf(stderr, "%s: cannot read the schema\n", argv[1]);
		return 2;
	}
	xmlRelaxNGFreeParserCtxt(pc);
	for (i = 2; i < argc; i++)
		check(schema, argv[i]);
	xmlRelaxNGFree(schema);
	xmlCleanupParser();
	return failed;
}
