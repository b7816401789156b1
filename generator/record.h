/*
 * Vendor records: content/vendors/<id>.xml, parsed with libxml2 (no
 * network, no DTD, no entities) and validated against the RELAX NG schema
 * compiled into docket.
 */
#ifndef DOCKET_RECORD_H
#define DOCKET_RECORD_H

#include <stdbool.h>
#include <stddef.h>

#include "date.h"

struct diag;
struct md_span;

enum status {
	STATUS_APPROVED,
	STATUS_UNDER_REVIEW,
	STATUS_RESTRICTED,
	STATUS_BANNED,
	STATUS_LIFTED,
	STATUS__MAX
};

enum action_type {
	ACTION_DIRECTIVE,
	ACTION_LAW,
	ACTION_REGULATION,
	ACTION_DELISTING,
	ACTION_LISTING,
	ACTION_HEARING,
	ACTION_INVESTIGATION,
	ACTION_GUIDANCE,
	ACTION_SANCTION,
	ACTION_LIFTING,
	ACTION__MAX
};

/* Markdown taken from an element, its common indentation removed. */
struct mdtext {
	char		*text;	/* NULL: absent */
	unsigned	 line;	/* line of the text's first line in the file */
	int		 col;	/* added to columns in the text; -1: unknown */
	/* Where its runs are in the file (see md_src); NULL: line and col say. */
	struct md_span	*spans;
	size_t		 spansz;
};

struct source {
	char		*href;
	char		*publisher;
	struct date	 date;
	struct date	 accessed;	/* y == 0: absent */
	char		*archived;	/* NULL: absent */
};

struct action {
	char		*id;
	enum action_type type;
	struct date	 date;
	char		*authority;
	char		*title;
	char		*scope;		/* NULL: absent */
	struct mdtext	 description;
	struct date	 deadline;	/* y == 0: none */
	long		 deadline_days;	/* -1: deadline given as a date, or none */
	struct source	*sources;
	size_t		 sourcesz;
	unsigned	 line;
};

struct response {
	struct date	 date;
	char		*href;		/* NULL: absent */
	struct mdtext	 text;
};

struct record {
	char		*path;		/* as given to record_parse() */
	char		*id;
	bool		 draft;
	/*
	 * Set by a build with history when it reads the record from the
	 * work tree: the git blob id of those bytes (zero otherwise).
	 */
	unsigned char	 blob[20];
	char		*name;
	char		**aliases;
	size_t		 aliasesz;
	char		*country_code;
	char		*country;
	char		*website;	/* NULL: absent */
	enum status	 status;
	char		**products;
	size_t		 productsz;
	struct mdtext	 summary;
	struct action	*actions;
	size_t		 actionsz;
	struct response	*responses;
	size_t		 responsesz;
	struct mdtext	 note;
};

/*
 * Parses and validates one record. `path` names the file in diagnostics
 * and its base name must be "<id>.xml". Every error found is reported.
 * Returns 0 and sets *out (free with record_free()), or -1.
 */
int		 record_parse(struct record **out, struct diag *, const char *path,
		     const char *data, size_t len);
/*
 * As record_parse(), and when the errors are in the record's values
 * alone (its structure sound, so that every field can be read), sets
 * *held to the record as read, for a build to render its markdown for
 * the errors there (free with record_free()); it is not to be built.
 * *held is NULL otherwise, and when the parse reports nothing.
 */
int		 record_parse_held(struct record **out, struct record **held,
		     struct diag *, const char *path, const char *data,
		     size_t len);
void		 record_free(struct record *);
/*
 * For tests: makes record_parse() go the slow way, without the
 * shortcuts it takes for plain records (shape_ok() for the schema,
 * values_plain() for its own checks), to compare the two.
 */
extern bool	 record_slow_checks;
/*
 * For tests: whether record_parse()'s own check of a record's shape
 * takes `data` (*shape), and whether the schema does (*by_schema); the
 * first must never be true when the second is false. Returns -1 when
 * data is not a well-formed document without a DOCTYPE.
 */
int		 record_shape_check(const char *data, size_t len, bool *shape,
		     bool *by_schema);
/*
 * Keeps in r->blob the git blob id of data, the bytes r was parsed from
 * (for the history: a build's record may serve as its version at HEAD).
 */
void		 record_set_blob(struct record *r, const char *data,
		     size_t len);
/*
 * Makes libxml2 and the schema ready in the main thread, before another
 * thread parses records (each thread compiles a schema of its own).
 */
void		 record_init(void);
/*
 * Frees the calling thread's compiled schema: at the end of a thread
 * that parsed records, and at exit (for leak checkers).
 */
void		 record_cleanup(void);

const char	*status_key(enum status);
const char	*status_label(enum status);
bool		 status_from_key(enum status *out, const char *);
const char	*action_type_key(enum action_type);
const char	*action_type_label(enum action_type);
bool		 action_type_from_key(enum action_type *out, const char *);
/*
 * Is s a valid id: [a-z0-9][a-z0-9-]*, of any length (SPEC section 3)?
 * The one check of vendor and action ids, in a build and in docket new;
 * ID_RULE says it in an error message.
 */
bool		 id_valid(const char *s);
#define ID_RULE	"use a-z, 0-9 and '-', starting with a letter or digit"
/* Is code an ISO 3166-1 alpha-2 code assigned to a country ("RU")? */
bool		 country_known(const char *code);
/*
 * The assigned code an unassigned one is a usual slip for, in any case:
 * "GB" for UK, "GR" for EL (the European Union's codes), else NULL.
 */
const char	*country_meant(const char *code);
/*
 * Removes leading and trailing blank lines and the common indentation.
 * Sets *first_line to the index of the first line kept and *indent to
 * the number of bytes removed from each line (either may be NULL).
 */
char		*dedent(const char *s, unsigned *first_line, size_t *indent);

#endif
