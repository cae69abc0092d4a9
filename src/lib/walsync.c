/* walsync: group commit on a thread of its own (see walsync.h). */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "walsync.h"
#include "xalloc.h"

/*
 * Two syncs may run at once: a commit made while one runs need not wait
 * for it to end before its own begins (fdatasync makes durable what was
 * written before it began, whatever else runs). A third bought nothing
 * on the bench.
 */
#define SYNCERS 2

struct walsync {
	struct db	*db;
	int		 fd;		/* the -wal file, for fdatasync */
	pthread_t	 threads[SYNCERS];
	pthread_mutex_t	 lock;
	pthread_cond_t	 asked;		/* requested moved, or stopping */
	pthread_cond_t	 synced;	/* done moved, or failed */
	/* Written under the lock, read without it by the sender (atomics):
	 * the sender looks at them for every message. */
	unsigned long	 requested;
	unsigned long	 done;
	int		 failed;
	int		 stopping;
	int		 sleeping;	/* syncers waiting for a request */
	unsigned long	 inflight;	/* the highest commit a sync covers */
	int		 running;	/* syncs under way */
	void		(*wake)(void *);
	void		*arg;
};

static void *
syncer(void *arg)
{
	struct walsync *w = arg;
	unsigned long target;
	int r;

	pthread_mutex_lock(&w->lock);
	for (;;) {
		while (w->requested == w->inflight && !w->stopping &&
		    !w->failed) {
			w->sleeping++;
			pthread_cond_wait(&w->asked, &w->lock);
			w->sleeping--;
		}
		if (w->failed || (w->stopping && w->requested == w->inflight))
			break;
		/* Every commit made by now is in the file: one sync for
		 * them all, the lock released while it runs. */
		target = w->requested;
		w->inflight = target;
		__atomic_store_n(&w->running, w->running + 1, __ATOMIC_RELEASE);
		pthread_mutex_unlock(&w->lock);
		r = fdatasync(w->fd);
		pthread_mutex_lock(&w->lock);
		__atomic_store_n(&w->running, w->running - 1, __ATOMIC_RELEASE);
		if (r == -1) {
			log_warn("cannot sync the database's WAL");
			__atomic_store_n(&w->failed, 1, __ATOMIC_RELEASE);
		} else if (target > w->done)
			__atomic_store_n(&w->done, target, __ATOMIC_RELEASE);
		pthread_cond_broadcast(&w->synced);
		if (w->wake != NULL)
			w->wake(w->arg);
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

struct walsync *
walsync_start(struct db *db, void (*wake)(void *), void *arg)
{
	struct walsync *w = xcalloc(1, sizeof(*w));
	char path[4096];
	int i;

	w->db = db;
	w->wake = wake;
	w->arg = arg;
	/* The WAL exists while a connection has the database open in WAL
	 * mode (db_open makes it so), and fdatasync on any descriptor of a
	 * file syncs that file. */
	if (snprintf(path, sizeof(path), "%s-wal", db->path) >=
	    (int)sizeof(path) || (w->fd = open(path, O_RDONLY | O_CLOEXEC)) ==
	    -1) {
		log_warn("cannot open the WAL of '%s'", db->path);
		fail_set(FAIL_TEMP);
		free(w);
		return NULL;
	}
	if (db_exec(db, "PRAGMA synchronous=NORMAL") == -1) {
		close(w->fd);
		free(w);
		return NULL;
	}
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->asked, NULL);
	pthread_cond_init(&w->synced, NULL);
	for (i = 0; i < SYNCERS; i++)
		if (pthread_create(&w->threads[i], NULL, syncer, w) != 0)
			fatal("cannot start the WAL sync thread");
	return w;
}

unsigned long
walsync_request(struct walsync *w)
{
	unsigned long n;

	pthread_mutex_lock(&w->lock);
	n = w->requested + 1;
	__atomic_store_n(&w->requested, n, __ATOMIC_RELEASE);
	if (w->sleeping)
		pthread_cond_signal(&w->asked);
	pthread_mutex_unlock(&w->lock);
	return n;
}

unsigned long
walsync_done(struct walsync *w)
{
	return __atomic_load_n(&w->done, __ATOMIC_ACQUIRE);
}

int
walsync_busy(struct walsync *w)
{
	/* Only the sender moves requested: its own read is exact. */
	return __atomic_load_n(&w->requested, __ATOMIC_ACQUIRE) !=
	    __atomic_load_n(&w->done, __ATOMIC_ACQUIRE) &&
	    !__atomic_load_n(&w->failed, __ATOMIC_ACQUIRE);
}

int
walsync_has_room(struct walsync *w)
{
	return __atomic_load_n(&w->running, __ATOMIC_ACQUIRE) < SYNCERS;
}

int
walsync_failed(struct walsync *w)
{
	return __atomic_load_n(&w->failed, __ATOMIC_ACQUIRE);
}

int
walsync_wait(struct walsync *w, unsigned long n)
{
	int r;

	pthread_mutex_lock(&w->lock);
	if (n == 0)
		n = w->requested;
	while (w->done < n && !w->failed)
		pthread_cond_wait(&w->synced, &w->lock);
	r = w->failed ? -1 : 0;
	pthread_mutex_unlock(&w->lock);
	return r;
}

int
walsync_stop(struct walsync *w)
{
	int i, r;

	if (w == NULL)
		return 0;
	pthread_mutex_lock(&w->lock);
	w->stopping = 1;
	pthread_cond_broadcast(&w->asked);
	pthread_mutex_unlock(&w->lock);
	for (i = 0; i < SYNCERS; i++)
		pthread_join(w->threads[i], NULL);
	r = w->failed ? -1 : 0;
	if (db_exec(w->db, "PRAGMA synchronous=FULL") == -1)
		r = -1;
	close(w->fd);
	pthread_mutex_destroy(&w->lock);
	pthread_cond_destroy(&w->asked);
	pthread_cond_destroy(&w->synced);
	free(w);
	if (r == -1)
		fail_set(FAIL_TEMP);
	return r;
}
