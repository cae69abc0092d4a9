/* mover: moving messages to their folders, beside the reading (mover.h). */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "mover.h"
#include "xalloc.h"

struct mover {
	struct imap	*session;	/* ours, or the reader's when inline */
	int		 threaded;
	pthread_t	 thread;
	pthread_mutex_t	 lock;
	pthread_cond_t	 wake;		/* moves queued, or stopping */
	pthread_cond_t	 room;		/* the queue shrank */
	struct move	*queue;		/* what the next round moves */
	size_t		 nqueue, capqueue;
	uint32_t	*moved;		/* done, not yet taken */
	size_t		 nmoved, capmoved;
	int		 stopping;
	int		 failed;
};

static int
by_folder_then_uid(const void *a, const void *b)
{
	const struct move *x = a, *y = b;
	int r = strcmp(x->folder, y->folder);

	if (r != 0)
		return r;
	return x->uid < y->uid ? -1 : x->uid > y->uid;
}

/* Appends to *v (grown as needed); the caller holds what guards it. */
static void
append_uids(uint32_t **v, size_t *n, size_t *cap, const uint32_t *uids,
    size_t k)
{
	if (*n + k > *cap) {
		*cap = *n + k > 2 * *cap ? *n + k : 2 * *cap;
		*v = xreallocarray(*v, *cap, sizeof(**v));
	}
	memcpy(*v + *n, uids, k * sizeof(*uids));
	*n += k;
}

/*
 * Moves a round, a folder at a time and at most MOVER_SET_MAX UIDs a
 * command, noting each command's UIDs as moved when it succeeds. The
 * lock is held only to note them. 0 or -1 (logged by imap_move).
 */
static int
move_round(struct mover *m, struct move *moves, size_t n)
{
	uint32_t *uids;
	size_t i, j;
	int r = 0;

	qsort(moves, n, sizeof(*moves), by_folder_then_uid);
	uids = xreallocarray(NULL, n > 0 ? n : 1, sizeof(*uids));
	for (i = 0; i < n && r == 0; i = j) {
		for (j = i; j < n && j - i < MOVER_SET_MAX &&
		    strcmp(moves[j].folder, moves[i].folder) == 0; j++)
			uids[j - i] = moves[j].uid;
		r = imap_move(m->session, uids, j - i, moves[i].folder);
		if (r == 0) {
			pthread_mutex_lock(&m->lock);
			append_uids(&m->moved, &m->nmoved, &m->capmoved, uids,
			    j - i);
			pthread_mutex_unlock(&m->lock);
		}
	}
	free(uids);
	return r;
}

/* The thread: takes all that is queued, moves it, and again. */
static void *
run(void *arg)
{
	struct mover *m = arg;
	struct move *round = NULL, *spare;
	size_t nround, capround = 0, capspare;
	int r;

	pthread_mutex_lock(&m->lock);
	for (;;) {
		while (m->nqueue == 0 && !m->stopping)
			pthread_cond_wait(&m->wake, &m->lock);
		if (m->nqueue == 0)
			break;
		/* Swap buffers: the reader queues into the other. */
		spare = round;
		capspare = capround;
		round = m->queue;
		capround = m->capqueue;
		nround = m->nqueue;
		m->queue = spare;
		m->capqueue = capspare;
		m->nqueue = 0;
		pthread_cond_broadcast(&m->room);
		pthread_mutex_unlock(&m->lock);
		r = move_round(m, round, nround);
		pthread_mutex_lock(&m->lock);
		if (r == -1) {
			m->failed = 1;
			m->nqueue = 0;
			pthread_cond_broadcast(&m->room);
			break;
		}
	}
	pthread_mutex_unlock(&m->lock);
	free(round);
	return NULL;
}

/* A second session on the same mailbox, or NULL (and nothing failed). */
static struct imap *
second_session(const struct conf *c, const char *mailbox,
    uint32_t uidvalidity)
{
	enum fail_class before = fail_get();
	struct imap *im = imap_open(c);
	uint32_t v = 0, next;

	if (im != NULL && imap_select(im, mailbox, &v, &next) == 0 &&
	    v == uidvalidity)
		return im;
	imap_close(im);
	fail_forget(before);
	log_info("no second IMAP session for moving: moving on the reading "
	    "session, in turn");
	return NULL;
}

struct mover *
mover_start(const struct conf *c, struct imap *reader, const char *mailbox,
    uint32_t uidvalidity)
{
	struct mover *m = xcalloc(1, sizeof(*m));

	/* The lock guards `moved` in either way of moving. */
	pthread_mutex_init(&m->lock, NULL);
	pthread_cond_init(&m->wake, NULL);
	pthread_cond_init(&m->room, NULL);
	m->session = second_session(c, mailbox, uidvalidity);
	if (m->session == NULL) {
		m->session = reader;
		return m;
	}
	if (pthread_create(&m->thread, NULL, run, m) != 0) {
		log_info("no thread for moving: moving on the reading "
		    "session, in turn");
		imap_close(m->session);
		m->session = reader;
		return m;
	}
	m->threaded = 1;
	return m;
}

int
mover_put(struct mover *m, const struct move *moves, size_t n)
{
	int r;

	if (n == 0)
		return m->failed ? -1 : 0;
	if (!m->threaded) {
		struct move *copy = xreallocarray(NULL, n, sizeof(*copy));

		memcpy(copy, moves, n * sizeof(*copy));
		r = m->failed ? -1 : move_round(m, copy, n);
		free(copy);
		if (r == -1)
			m->failed = 1;
		return r;
	}
	pthread_mutex_lock(&m->lock);
	while (!m->failed && m->nqueue >= MOVER_LAG_MAX)
		pthread_cond_wait(&m->room, &m->lock);
	if (!m->failed) {
		if (m->nqueue + n > m->capqueue) {
			m->capqueue = m->nqueue + n > 2 * m->capqueue ?
			    m->nqueue + n : 2 * m->capqueue;
			m->queue = xreallocarray(m->queue, m->capqueue,
			    sizeof(*m->queue));
		}
		memcpy(m->queue + m->nqueue, moves, n * sizeof(*moves));
		m->nqueue += n;
		pthread_cond_signal(&m->wake);
	}
	r = m->failed ? -1 : 0;
	pthread_mutex_unlock(&m->lock);
	return r;
}

uint32_t *
mover_take(struct mover *m, size_t *n)
{
	uint32_t *v;

	pthread_mutex_lock(&m->lock);
	v = m->moved;
	*n = m->nmoved;
	m->moved = NULL;
	m->nmoved = m->capmoved = 0;
	pthread_mutex_unlock(&m->lock);
	return v;
}

int
mover_stop(struct mover *m, uint32_t **moved, size_t *n)
{
	int r;

	if (m->threaded) {
		pthread_mutex_lock(&m->lock);
		m->stopping = 1;
		pthread_cond_signal(&m->wake);
		pthread_mutex_unlock(&m->lock);
		pthread_join(m->thread, NULL);
		imap_close(m->session);
	}
	pthread_cond_destroy(&m->room);
	pthread_cond_destroy(&m->wake);
	pthread_mutex_destroy(&m->lock);
	r = m->failed ? -1 : 0;
	*moved = m->moved;
	*n = m->nmoved;
	free(m->queue);
	free(m);
	return r;
}
