/*
 * The signals that stop a run: see sig.h.
 */
#define _GNU_SOURCE		/* pipe2 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>

#include "sig.h"
#include "util.h"

static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };

static volatile sig_atomic_t caught;
static int pipefd[2] = { -1, -1 };
static pid_t owner;		/* the process that caught them */
static struct sigaction old[NELEM(sigs)];
static bool set[NELEM(sigs)];

/* Async-signal-safe: notes the signal, or ends the process by it. */
static void
on_signal(int sig)
{
	struct sigaction sa;
	int e = errno;
	char c = (char)sig;

	/*
	 * SIGTERM and SIGHUP often come twice for one stop: timeout(1)
	 * sends its signal to the process, then to its group; a terminal
	 * that closes, SIGHUP by the shell and by the kernel. Only a
	 * second Ctrl-C means "now".
	 */
	if (caught != 0 && sig != SIGINT && getpid() == owner)
		return;
	/*
	 * A second SIGINT, or a signal that reached a process of -j before
	 * it took the default actions: end at once. The signal is blocked
	 * while this runs, and is taken when it returns.
	 */
	if (caught != 0 || getpid() != owner) {
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = SIG_DFL;
		sigemptyset(&sa.sa_mask);
		sigaction(sig, &sa, NULL);
		raise(sig);
		errno = e;
		return;
	}
	caught = sig;
	if (pipefd[1] != -1 && write(pipefd[1], &c, 1) == -1) {
		/* Full: it is readable already. */
	}
	errno = e;
}

int
sig_catch(void)
{
	struct sigaction sa;
	size_t i;

	if (pipefd[0] != -1)
		return 0;
	if (pipe2(pipefd, O_NONBLOCK | O_CLOEXEC) == -1) {
		pipefd[0] = pipefd[1] = -1;
		return -1;
	}
	caught = 0;
	owner = getpid();
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < NELEM(sigs); i++)
		sigaddset(&sa.sa_mask, sigs[i]);
	/*
	 * Restarted, read() and waitpid() go on as if nothing happened;
	 * poll() is not, and the pipe wakes it on any thread.
	 */
	sa.sa_flags = SA_RESTART;
	for (i = 0; i < NELEM(sigs); i++) {
		set[i] = false;
		if (sigaction(sigs[i], NULL, &old[i]) == -1 ||
		    (sigs[i] == SIGHUP && old[i].sa_handler == SIG_IGN))
			continue;
		set[i] = sigaction(sigs[i], &sa, NULL) == 0;
	}
	return 0;
}

void
sig_release(void)
{
	size_t i;

	for (i = 0; i < NELEM(sigs); i++)
		if (set[i]) {
			sigaction(sigs[i], &old[i], NULL);
			set[i] = false;
		}
	if (pipefd[0] != -1) {
		close(pipefd[0]);
		close(pipefd[1]);
		pipefd[0] = pipefd[1] = -1;
	}
	caught = 0;
}

int
sig_caught(void)
{
	return caught;
}

int
sig_status(void)
{
	return 128 + caught;
}

int
sig_fd(void)
{
	return pipefd[0];
}

void
sig_forked(void)
{
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < NELEM(sigs); i++)
		if (set[i]) {
			sigaction(sigs[i], &sa, NULL);
			set[i] = false;
		}
	if (pipefd[0] != -1) {
		close(pipefd[0]);
		close(pipefd[1]);
		pipefd[0] = pipefd[1] = -1;
	}
}

void
sig_raise(int sig)
{
	struct sigaction sa;
	sigset_t unblock;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
	sigemptyset(&unblock);
	sigaddset(&unblock, sig);
	sigprocmask(SIG_UNBLOCK, &unblock, NULL);
	raise(sig);
}
