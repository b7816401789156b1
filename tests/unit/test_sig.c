/*
 * Unit tests: sig, the signals that stop a run.
 */
#include <sys/wait.h>

#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>

#include "sig.h"
#include "unit.h"

/* Forks; the child runs fn and exits with what it returns. */
static pid_t
child(int (*fn)(void))
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(fn());
	return pid;
}

/* The status of pid, once it has ended. */
static int
status_of(pid_t pid)
{
	int st = -1;

	if (pid <= 0 || waitpid(pid, &st, 0) != pid)
		return -1;
	return st;
}

static bool
readable(int fd)
{
	struct pollfd p = { fd, POLLIN, 0 };

	return fd >= 0 && poll(&p, 1, 0) == 1 && (p.revents & POLLIN);
}

/* Started ignoring SIGHUP (nohup), a run goes on ignoring it. */
static int
nohup_child(void)
{
	signal(SIGHUP, SIG_IGN);
	if (sig_catch() == -1)
		return 2;
	raise(SIGHUP);
	return sig_caught() == 0 && !readable(sig_fd()) ? 0 : 1;
}

/* A process of -j: the signals end it, and the build is told nothing. */
static int
forked_child(void)
{
	sig_forked();
	if (sig_fd() != -1)
		return 1;
	raise(SIGTERM);
	return 1;
}

/* A second signal ends the run at once. */
static int
second_child(void)
{
	raise(SIGINT);
	return 1;
}

/*
 * A terminal that closes sends SIGHUP twice, by the kernel and by the
 * shell, and timeout(1) its SIGTERM twice: the run stops once, and
 * cleans up, as for one.
 */
static int
twice_child(void)
{
	sig_release();		/* what the test's process caught */
	signal(SIGHUP, SIG_DFL);	/* not ignored, as under nohup */
	if (sig_catch() == -1)
		return 2;
	raise(SIGHUP);
	raise(SIGHUP);
	if (sig_caught() != SIGHUP || !readable(sig_fd()))
		return 1;
	/* timeout(1) sends SIGTERM to the process, then to its group. */
	raise(SIGTERM);
	raise(SIGTERM);
	/* A second Ctrl-C still ends it at once. */
	raise(SIGINT);
	return 3;
}

void
test_sig__twice(void)
{
	int st;

	st = status_of(child(twice_child));
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGINT);
}

void
test_sig__caught_once(void)
{
	struct sigaction sa;
	int st;

	st = status_of(child(nohup_child));
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	CHECK_INT(sig_catch(), 0);
	CHECK_INT(sig_caught(), 0);
	CHECK(!readable(sig_fd()));
	st = status_of(child(forked_child));
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM);
	CHECK_INT(sig_caught(), 0);
	CHECK(!readable(sig_fd()));

	raise(SIGTERM);
	CHECK_INT(sig_caught(), SIGTERM);
	CHECK_INT(sig_status(), 143);
	CHECK(readable(sig_fd()));
	st = status_of(child(second_child));
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGINT);

	sig_release();
	CHECK_INT(sig_caught(), 0);
	CHECK_INT(sig_fd(), -1);
	CHECK(sigaction(SIGTERM, NULL, &sa) == 0 && sa.sa_handler == SIG_DFL);
}
