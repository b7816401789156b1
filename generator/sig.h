/*
 * The signals that stop a run: SIGINT (Ctrl-C), SIGTERM (kill, timeout,
 * a CI runner that signals docket itself) and SIGHUP (the terminal
 * closed). The handler only notes
 * the signal and writes a byte to a pipe, for those who poll(). The work
 * looks at sig_caught() between its steps (a page, a commit), stops on
 * its error paths, which remove what it was writing, and main() ends the
 * process by the signal itself (sig_raise()), so that the shell sees
 * 128 + its number. A second SIGINT ends the process at once; a SIGTERM
 * or SIGHUP after the first signal is ignored (timeout(1) and a closed
 * terminal send theirs twice).
 */
#ifndef DOCKET_SIG_H
#define DOCKET_SIG_H

/*
 * Catches the signals; SIGHUP not when this process was started ignoring
 * it (nohup), but SIGINT even then (a shell's `cmd &`), as `docket serve`
 * always has. Returns 0, or -1 when the pipe cannot be made (errno;
 * nothing is caught).
 */
int	sig_catch(void);
/* Puts back what sig_catch() found, closes the pipe, forgets the signal. */
void	sig_release(void);
/* The signal caught since sig_catch(), or 0. */
int	sig_caught(void);
/* The exit status of a run stopped by the signal caught: 128 + it. */
int	sig_status(void);
/* The end of the pipe that is readable once a signal is caught; -1: none. */
int	sig_fd(void);
/*
 * In a process forked from this one: the signals' default actions, and
 * the pipe closed, so that the signals stop it at once and tell the
 * parent nothing.
 */
void	sig_forked(void);
/*
 * Ends the process by sig with its default action, as if it had not been
 * caught. Returns only if that does not end it.
 */
void	sig_raise(int sig);

#endif
