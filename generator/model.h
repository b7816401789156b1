/*
 * The data given to templates: records, actions and pages as template
 * values (see docs/templates.md), and the rendering of every page.
 */
#ifndef DOCKET_MODEL_H
#define DOCKET_MODEL_H

struct site;

/*
 * Renders every page of the site into the output folder: markdown pages,
 * the home page, vendors, each vendor, the timeline and 404.html.
 * Returns 0, or -1 after reporting errors.
 */
int	model_render(struct site *);

#endif
