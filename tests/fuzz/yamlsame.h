/*
 * Are two libyaml documents the same, node for node: types, tags,
 * values, styles, marks and the order of items and pairs? For the tests
 * that hold yaml_load_plain() to what libyaml makes of the same bytes.
 */
#ifndef YAMLSAME_H
#define YAMLSAME_H

#include <stdbool.h>
#include <string.h>
#include <yaml.h>

static bool
yaml_mark_same(const yaml_mark_t *a, const yaml_mark_t *b)
{
	return a->index == b->index && a->line == b->line &&
	    a->column == b->column;
}

static bool
yaml_same(const yaml_document_t *a, const yaml_document_t *b)
{
	const yaml_node_t *x, *y;
	size_t n = (size_t)(a->nodes.top - a->nodes.start), i, k;

	if (n != (size_t)(b->nodes.top - b->nodes.start) ||
	    a->start_implicit != b->start_implicit ||
	    a->end_implicit != b->end_implicit ||
	    (a->version_directive == NULL) != (b->version_directive == NULL) ||
	    a->tag_directives.start != a->tag_directives.end ||
	    b->tag_directives.start != b->tag_directives.end ||
	    !yaml_mark_same(&a->start_mark, &b->start_mark) ||
	    !yaml_mark_same(&a->end_mark, &b->end_mark))
		return false;
	for (i = 0; i < n; i++) {
		x = &a->nodes.start[i];
		y = &b->nodes.start[i];
		if (x->type != y->type || (x->tag == NULL) != (y->tag == NULL) ||
		    (x->tag != NULL && strcmp((const char *)x->tag,
		    (const char *)y->tag) != 0) ||
		    !yaml_mark_same(&x->start_mark, &y->start_mark) ||
		    !yaml_mark_same(&x->end_mark, &y->end_mark))
			return false;
		switch (x->type) {
		case YAML_SCALAR_NODE:
			if (x->data.scalar.length != y->data.scalar.length ||
			    x->data.scalar.style != y->data.scalar.style ||
			    memcmp(x->data.scalar.value, y->data.scalar.value,
			    x->data.scalar.length) != 0)
				return false;
			break;
		case YAML_SEQUENCE_NODE:
			k = (size_t)(x->data.sequence.items.top -
			    x->data.sequence.items.start);
			if (x->data.sequence.style != y->data.sequence.style ||
			    k != (size_t)(y->data.sequence.items.top -
			    y->data.sequence.items.start) ||
			    (k > 0 && memcmp(x->data.sequence.items.start,
			    y->data.sequence.items.start,
			    k * sizeof(yaml_node_item_t)) != 0))
				return false;
			break;
		case YAML_MAPPING_NODE:
			k = (size_t)(x->data.mapping.pairs.top -
			    x->data.mapping.pairs.start);
			if (x->data.mapping.style != y->data.mapping.style ||
			    k != (size_t)(y->data.mapping.pairs.top -
			    y->data.mapping.pairs.start))
				return false;
			while (k-- > 0)
				if (x->data.mapping.pairs.start[k].key !=
				    y->data.mapping.pairs.start[k].key ||
				    x->data.mapping.pairs.start[k].value !=
				    y->data.mapping.pairs.start[k].value)
					return false;
			break;
		default:
			return false;
		}
	}
	return true;
}

#endif
