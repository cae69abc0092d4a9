/*
 * signer: DKIM signing on threads of its own for tocsin send. An RSA
 * signature costs about as much CPU as everything else send does for a
 * message, so the sender hands each composed message over (the message
 * is the signer's until its state says it is done) and goes on with the
 * sessions, the queue and the commits while other cores sign.
 */
#ifndef TOCSIN_SIGNER_H
#define TOCSIN_SIGNER_H

#include <stdatomic.h>

#include "buf.h"
#include "dkim.h"

#define SIGNER_THREADS_MAX	4

enum signer_state {
	SIGNER_NONE = 0,	/* not handed over */
	SIGNER_PENDING,		/* the signer's */
	SIGNER_SIGNED,
	SIGNER_FAILED,		/* it did not fit its buffer */
};

struct signer;

/*
 * Starts `threads` threads (1 to SIGNER_THREADS_MAX) signing with the
 * keys of `d` (borrowed); `wake(arg)` is called after each signature
 * (to wake a poll). NULL on failure (logged).
 */
struct signer	*signer_start(const struct dkim *d, int threads,
		    void (*wake)(void *), void *arg);
/* Hands `msg` over: *state is SIGNER_PENDING until it is signed. At
 * most `jobs` pending at once (the sessions), or it waits. */
void		 signer_submit(struct signer *s, struct buf *msg,
		    _Atomic int *state);
/* Waits until a signature finishes (or 1 second passes). */
void		 signer_wait(struct signer *s);
/* Finishes what was handed over and stops the threads. */
void		 signer_stop(struct signer *s);
/* The threads worth starting on this machine: its CPUs, up to the max. */
int		 signer_threads(void);

#endif
