/*
 * Parallel work for a build: see jobs.h.
 *
 * Each of k processes takes the next item not taken yet from a counter
 * they share, last item first (the last parts have the few large items:
 * the change lists and the exports; the pages come last, small enough to
 * even out the end), writes its files itself, and sends back over a
 * pipe, item by item, a header (struct msg), the diagnostics it held
 * (each with its position, for diag_flush()) and the result bytes. The
 * build reads every pipe as data comes, then takes the diagnostics in
 * item order.
 */
#define _GNU_SOURCE		/* sched_getaffinity, pipe2 */
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "diag.h"
#include "history.h"
#include "jobs.h"
#include "sig.h"
#include "site.h"
#include "util.h"

/* Bytes a process gathers before it sends them: what a pipe holds. */
#define JOBS_SEND	65536

/* What a process sends for each item, before its diagnostics and result. */
struct msg {
	uint64_t	index;
	uint64_t	diaglen;
	uint64_t	reslen;
	uint64_t	hooklen;	/* s->hooks: see site_hooks_replay() */
	int32_t		rc;
	uint32_t	errors;
	uint32_t	warnings;
	uint32_t	stops;
	uint32_t	written;
	uint32_t	reused;
	uint32_t	io_failed;
};

/* An item done by another process, waiting for its turn to be told. */
struct done {
	char		*diag;
	size_t		 diaglen;
	char		*hooks;
	size_t		 hooklen;
	unsigned	 errors;
	unsigned	 warnings;
	unsigned	 stops;
	size_t		 written;
	size_t		 reused;
	bool		 io_failed;
	int		 rc;
	bool		 seen;
};

struct worker {
	pid_t		 pid;
	int		 fd;		/* -1: at its end */
	struct buf	 in;		/* read, not yet taken */
};

/*
 * Shared by the processes (a shared mapping made before they start): the
 * atomics must work across processes, so without locks.
 */
static_assert(ATOMIC_LONG_LOCK_FREE == 2 && ATOMIC_INT_LOCK_FREE == 2,
    "lock-free atomics are needed between processes");
struct claims {
	atomic_size_t	 taken;		/* items taken so far */
	atomic_uint	 halt;		/* an item stopped the work: take no more */
	atomic_uint	 owner[];	/* by item: 1 + the process taking it */
};

static struct claims *
claims_new(size_t n, size_t *size)
{
	void *p;

	*size = sizeof(struct claims) + n * sizeof(atomic_uint);
	p = mmap(NULL, *size, PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	return p == MAP_FAILED ? NULL : p;	/* zeroed */
}

/* The next item for process w, or n when all are taken. */
static size_t
claim(struct claims *c, size_t n, unsigned w)
{
	size_t t = atomic_fetch_add(&c->taken, 1), i;

	if (t >= n)
		return n;
	i = n - 1 - t;
	atomic_store(&c->owner[i], w + 1);
	return i;
}

/*
 * The processors a cgroup (v2) quota allows, as a container runtime's
 * --cpus sets it: "200000 100000" is 2. 0 when there is no quota.
 */
static long
cgroup_cpus(void)
{
	long long quota, period;
	FILE *f = fopen("/sys/fs/cgroup/cpu.max", "r");
	long n = 0;

	if (f == NULL)
		return 0;
	if (fscanf(f, "%lld %lld", &quota, &period) == 2 && quota > 0 &&
	    period > 0)
		n = (long)((quota + period - 1) / period);
	fclose(f);
	return n;
}

unsigned
jobs_default(void)
{
	cpu_set_t set;
	long n, q;

	if (sched_getaffinity(0, sizeof(set), &set) == 0)
		n = CPU_COUNT(&set);
	else
		n = sysconf(_SC_NPROCESSORS_ONLN);
	if ((q = cgroup_cpus()) > 0 && q < n)
		n = q;
	return n < 1 ? 1 : n > JOBS_DEFAULT_MAX ? JOBS_DEFAULT_MAX : (unsigned)n;
}

/* The part of item g, counted across the parts, and its index there. */
static struct jobs_part *
locate(const struct jobs_part *parts, size_t g, size_t *i)
{
	while (g >= parts->n)
		g -= parts++->n;
	*i = g;
	return (struct jobs_part *)parts;
}

/* Does item g of all the parts. */
static int
do_item(const struct jobs_part *parts, size_t g, struct buf *res)
{
	const struct jobs_part *p = locate(parts, g, &g);

	return p->fn(p->arg, g, res);
}

/* Where item g's result goes: NULL when its part keeps none. */
static struct buf *
result_of(const struct jobs_part *parts, size_t g)
{
	const struct jobs_part *p = locate(parts, g, &g);

	return p->results != NULL ? &p->results[g] : NULL;
}

/* The life of process w of k: its items, then _exit(). */
static void
work(struct site *s, const struct jobs_part *parts, size_t n, unsigned w,
    struct claims *c, int fd, pid_t parent)
{
	struct diag *dg = s->dg;
	struct buf held = BUF_INIT, res = BUF_INIT, out = BUF_INIT;
	struct buf hooks = BUF_INIT;
	struct msg m;
	size_t i, written, reused;
	unsigned errors, warnings, stops;
	double now, sent = mono_now();

	/* Not left running if the build is killed, even before this. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(3);
	/* Ctrl-C ends it at once; the build stops the others itself. */
	sig_forked();
	dg->hold = &held;
	dg->capture = NULL;
	dg->progress = false;
	s->hooks = &hooks;
	while (atomic_load(&c->halt) == 0 && (i = claim(c, n, w)) < n) {
		errors = dg->errors, warnings = dg->warnings;
		stops = dg->stops;
		written = s->written, reused = s->reused;
		s->io_failed = false;
		buf_truncate(&held, 0);
		buf_truncate(&res, 0);
		buf_truncate(&hooks, 0);
		memset(&m, 0, sizeof(m));
		m.index = i;
		m.rc = do_item(parts, i, &res);
		m.errors = dg->errors - errors;
		m.warnings = dg->warnings - warnings;
		m.stops = dg->stops - stops;
		/*
		 * The items after this one will not be told, and the build
		 * does those before it that no process has begun: no process
		 * takes another, lest each render every page to the same
		 * template error.
		 */
		if (m.stops > 0)
			atomic_store(&c->halt, 1);
		m.written = (uint32_t)(s->written - written);
		m.reused = (uint32_t)(s->reused - reused);
		m.io_failed = s->io_failed;
		m.diaglen = held.len;
		m.reslen = res.len;
		m.hooklen = hooks.len;
		buf_put(&out, &m, sizeof(m));
		buf_put(&out, held.ptr, held.len);
		buf_put(&out, res.ptr, res.len);
		buf_put(&out, hooks.ptr, hooks.len);
		/*
		 * Sent a pipe's worth at a time (one write, one wakeup), but
		 * messages at once, lest a crash lose them, and what is done
		 * ten times a second, for the progress shown.
		 */
		now = mono_now();
		if (out.len >= JOBS_SEND || held.len > 0 || now - sent >= 0.1) {
			if (write_all(fd, out.ptr, out.len) == -1)
				_exit(3);
			buf_truncate(&out, 0);
			sent = now;
		}
	}
	if (write_all(fd, out.ptr, out.len) == -1)
		_exit(3);
	buf_release(&held);
	buf_release(&res);
	buf_release(&out);
	buf_release(&hooks);
	_exit(0);
}

/*
 * Takes the whole messages read from wk, adding the files they wrote to
 * *files for the progress shown. Returns 0, or -1 when a message is not
 * one this process was to send.
 */
static int
take(struct site *s, struct worker *wk, unsigned w, struct claims *c,
    size_t n, struct done *done, const struct jobs_part *parts,
    size_t *files)
{
	struct msg m;
	struct done *d;
	struct buf *res;
	const char *p;
	size_t left, off = 0;

	for (;;) {
		left = wk->in.len - off;
		if (left < sizeof(m))
			break;
		memcpy(&m, wk->in.ptr + off, sizeof(m));
		if (m.index >= n ||
		    atomic_load(&c->owner[m.index]) != w + 1 ||
		    done[m.index].seen ||
		    m.diaglen > SIZE_MAX / 4 || m.reslen > SIZE_MAX / 4 ||
		    m.hooklen > SIZE_MAX / 4)
			return -1;
		if (left - sizeof(m) < m.diaglen + m.reslen + m.hooklen)
			break;
		p = wk->in.ptr + off + sizeof(m);
		d = &done[m.index];
		d->seen = true;
		d->rc = m.rc;
		d->errors = m.errors;
		d->warnings = m.warnings;
		d->stops = m.stops;
		d->diaglen = (size_t)m.diaglen;
		if (m.diaglen > 0) {
			d->diag = xmalloc(d->diaglen);
			memcpy(d->diag, p, d->diaglen);
		}
		if ((res = result_of(parts, (size_t)m.index)) != NULL)
			buf_put(res, p + m.diaglen, (size_t)m.reslen);
		d->hooklen = (size_t)m.hooklen;
		if (m.hooklen > 0) {
			d->hooks = xmalloc(d->hooklen);
			memcpy(d->hooks, p + m.diaglen + m.reslen, d->hooklen);
		}
		d->written = m.written;
		d->reused = m.reused;
		d->io_failed = m.io_failed != 0;
		*files += m.written;
		off += sizeof(m) + (size_t)(m.diaglen + m.reslen + m.hooklen);
		diag_progress(s->dg, "writing", s->written + *files);
	}
	/* Keep the buffer small: move what is left to its start. */
	if (off > 0) {
		left = wk->in.len - off;
		memmove(wk->in.ptr, wk->in.ptr + off, left);
		buf_truncate(&wk->in, left);
	}
	return 0;
}

/* Waits for process pid. Returns its status; 0 when there is none. */
static int
reap(pid_t pid)
{
	int status = 0;

	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR)
			return 0;
	return status;
}

/* Have the parts part p needs all succeeded (so far)? */
static bool
needs_met(const struct jobs_part *parts, size_t p)
{
	size_t q;

	for (q = 0; q < p; q++)
		if ((parts[p].needs & 1u << q) != 0 && parts[q].rc != 0)
			return false;
	return true;
}

/*
 * Does the items here, in order, up to the first that stops the work, or
 * until a signal stops the build (-1).
 */
static int
run_serial(struct diag *dg, struct jobs_part *parts, size_t nparts)
{
	struct buf scratch = BUF_INIT;
	size_t i, p;
	unsigned stops = dg->stops;
	int rc = 0;

	for (p = 0; p < nparts && dg->stops == stops; p++) {
		if (!needs_met(parts, p))
			continue;
		for (i = 0; i < parts[p].n && dg->stops == stops; i++) {
			if (sig_caught() != 0) {
				rc = parts[p].rc = -1;
				goto out;
			}
			if (parts[p].fn(parts[p].arg, i, parts[p].results != NULL ?
			    &parts[p].results[i] : &scratch) == -1)
				rc = parts[p].rc = -1;
			buf_truncate(&scratch, 0);
		}
	}
out:
	buf_release(&scratch);
	return rc;
}

int
jobs_run(struct site *s, size_t n, jobs_fn fn, void *arg,
    struct buf *results)
{
	struct jobs_part part = { fn, arg, n, results, 0, 0 };

	return jobs_run_parts(s, &part, 1);
}

int
jobs_run_parts(struct site *s, struct jobs_part *parts, size_t nparts)
{
	struct diag *dg = s->dg;
	struct worker *wk;
	struct pollfd *pfd;
	struct done *done;
	struct claims *c;
	struct buf scratch = BUF_INIT;
	unsigned k = s->opts->jobs, w, open, stops;
	char chunk[65536];
	ssize_t r;
	size_t i, p, g, n = 0, files = 0, csize;
	pid_t parent;
	int fds[2], status, rc = 0;
	bool stopped = false, interrupted = false;

	for (i = 0; i < nparts; i++) {
		n += parts[i].n;
		parts[i].rc = 0;
		assert(parts[i].needs == 0 || parts[i].results == NULL);
	}
	if (sig_caught() != 0)
		return -1;
	if (k > n / JOBS_MIN_ITEMS)
		k = (unsigned)(n / JOBS_MIN_ITEMS);
	if (k <= 1 || (c = claims_new(n, &csize)) == NULL) {
		if (s->procs < 1)
			s->procs = 1;
		return run_serial(dg, parts, nparts);
	}
	if (s->procs < k)
		s->procs = k;

	wk = xcalloc(k, sizeof(*wk));
	pfd = xcalloc(k + 1, sizeof(*pfd));	/* and sig_fd() */
	done = xcalloc(n, sizeof(*done));
	for (w = 0; w < k; w++) {
		wk[w].fd = -1;
		wk[w].pid = -1;
	}
	/* No thread may run at a fork: the history cache's writer ends. */
	hist_cache_wait(s->hist);
	fflush(stdout);
	fflush(stderr);
	parent = getpid();
	for (w = 0; w < k; w++) {
		if (pipe2(fds, O_CLOEXEC) == -1)
			break;
		if ((wk[w].pid = fork()) == -1) {
			close(fds[0]);
			close(fds[1]);
			break;
		}
		if (wk[w].pid == 0) {
			for (i = 0; i < w; i++)
				close(wk[i].fd);
			close(fds[0]);
			free(wk);
			free(pfd);
			free(done);
			work(s, parts, n, w, c, fds[1], parent);
		}
		close(fds[1]);
		wk[w].fd = fds[0];
	}
	if (w < k) {
		/*
		 * Too few processes (no memory, too many processes or open
		 * files): stop those started and do it all here. A file they
		 * wrote is written again.
		 */
		for (i = 0; i < w; i++) {
			kill(wk[i].pid, SIGKILL);
			close(wk[i].fd);
			reap(wk[i].pid);
		}
		free(done);
		free(pfd);
		free(wk);
		munmap(c, csize);
		s->procs = 1;
		return run_serial(dg, parts, nparts);
	}

	/*
	 * Read every pipe until each process has said all, or a signal
	 * stops the build: then the processes are killed, and what they
	 * wrote goes with the folder being built.
	 */
	for (;;) {
		if (sig_caught() != 0) {
			interrupted = true;
			for (w = 0; w < k; w++)
				kill(wk[w].pid, SIGKILL);
			break;
		}
		for (w = 0, open = 0; w < k; w++) {
			pfd[w].fd = wk[w].fd;
			pfd[w].events = POLLIN;
			pfd[w].revents = 0;
			if (wk[w].fd >= 0)
				open++;
		}
		if (open == 0)
			break;
		pfd[k] = (struct pollfd){ sig_fd(), POLLIN, 0 };
		if (poll(pfd, k + 1, -1) == -1) {
			if (errno == EINTR)
				continue;
			rc = diag_error(dg, NULL, "poll: %s", strerror(errno));
			break;
		}
		for (w = 0; w < k; w++) {
			if (wk[w].fd < 0 || pfd[w].revents == 0)
				continue;
			r = read(wk[w].fd, chunk, sizeof(chunk));
			if (r == -1 && errno == EINTR)
				continue;
			if (r > 0) {
				buf_put(&wk[w].in, chunk, (size_t)r);
				if (take(s, &wk[w], w, c, n, done, parts,
				    &files) == 0)
					continue;
				rc = diag_error(dg, NULL, "a build process "
				    "sent what it should not");
			}
			close(wk[w].fd);
			wk[w].fd = -1;
		}
	}

	for (w = 0; w < k; w++) {
		if (wk[w].fd >= 0)
			close(wk[w].fd);
		if (wk[w].pid <= 0)
			continue;
		/* Without a status (SIGCHLD ignored), what it sent tells. */
		status = reap(wk[w].pid);
		if (interrupted)
			rc = -1;
		else if (WIFSIGNALED(status) || (WIFEXITED(status) &&
		    WEXITSTATUS(status) != 0)) {
			if (WIFSIGNALED(status))
				rc = diag_error(dg, NULL, "a build process was "
				    "killed by signal %d", WTERMSIG(status));
			else
				rc = diag_error(dg, NULL, "a build process "
				    "failed (exit status %d)",
				    WEXITSTATUS(status));
			s->io_failed = true;
		}
		buf_release(&wk[w].in);
	}

	/*
	 * What each item said, in order, as one process would have said it;
	 * nothing of the parts whose needs failed, which it would not have
	 * done, nor of the items after one that stops the work. The items
	 * no process took once the work was stopped are done here, in turn,
	 * up to one that stops it. After a signal, what was said up to the
	 * first item not told.
	 */
	for (p = 0, g = 0; p < nparts; g += parts[p++].n) {
		bool met = needs_met(parts, p);

		for (i = 0; i < parts[p].n; i++) {
			struct done *d = &done[g + i];

			if (interrupted && !d->seen)
				stopped = true;
			if (stopped) {
				free(d->diag);
				free(d->hooks);
				continue;
			}

			if (!d->seen && atomic_load(&c->halt) != 0 &&
			    atomic_load(&c->owner[g + i]) == 0) {
				if (!met)
					continue;
				stops = dg->stops;
				if (parts[p].fn(parts[p].arg, i,
				    parts[p].results != NULL ?
				    &parts[p].results[i] : &scratch) == -1)
					rc = parts[p].rc = -1;
				buf_truncate(&scratch, 0);
				stopped = dg->stops != stops;
				continue;
			}
			if (!d->seen) {
				parts[p].rc = -1;
				if (rc == 0)
					rc = diag_error(dg, NULL, "a build "
					    "process ended before its work "
					    "was done");
				s->io_failed = true;
				continue;
			}
			if (met) {
				diag_replay(dg, d->diag, d->diaglen,
				    d->errors, d->warnings);
				site_hooks_replay(s, d->hooks, d->hooklen);
				dg->stops += d->stops;
				stopped = d->stops > 0;
				s->written += d->written;
				s->reused += d->reused;
				if (d->io_failed)
					s->io_failed = true;
				if (d->rc == -1)
					rc = parts[p].rc = -1;
			}
			free(d->diag);
			free(d->hooks);
		}
	}
	buf_release(&scratch);
	free(done);
	free(pfd);
	free(wk);
	munmap(c, csize);
	return rc;
}
