/* signer: DKIM signing on threads of its own (see signer.h). */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "signer.h"
#include "xalloc.h"

#define JOBS_MAX	64	/* SMTP_SESSIONS_MAX: one a session */

struct job {
	struct buf	*msg;
	_Atomic int	*state;
};

struct signer {
	const struct dkim	*dkim;
	void			(*wake)(void *);
	void			*arg;
	pthread_t		 threads[SIGNER_THREADS_MAX];
	int			 nthreads;
	pthread_mutex_t		 lock;
	pthread_cond_t		 work;		/* a job, or stop */
	pthread_cond_t		 done;		/* a job finished */
	struct job		 jobs[JOBS_MAX];	/* a ring */
	size_t			 head, count;
	unsigned long		 finished;	/* signatures made */
	unsigned long		 waited;	/* finished, at the last wait */
	int			 stopping;
};

static void *
signing(void *arg)
{
	struct signer *s = arg;
	struct job j;
	int r;

	pthread_mutex_lock(&s->lock);
	for (;;) {
		while (s->count == 0 && !s->stopping)
			pthread_cond_wait(&s->work, &s->lock);
		if (s->count == 0)
			break;	/* stopping, and nothing left */
		j = s->jobs[s->head];
		s->head = (s->head + 1) % JOBS_MAX;
		s->count--;
		pthread_cond_broadcast(&s->done);	/* room in the ring */
		pthread_mutex_unlock(&s->lock);
		r = dkim_sign(s->dkim, j.msg, 0, time(NULL));
		/* The message is the sender's again from this store on. */
		atomic_store(j.state, r == 0 ? SIGNER_SIGNED : SIGNER_FAILED);
		pthread_mutex_lock(&s->lock);
		s->finished++;
		pthread_cond_broadcast(&s->done);
		if (s->wake != NULL)
			s->wake(s->arg);
	}
	pthread_mutex_unlock(&s->lock);
	return NULL;
}

int
signer_threads(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > SIGNER_THREADS_MAX ? SIGNER_THREADS_MAX :
	    (int)n;
}

struct signer *
signer_start(const struct dkim *d, int threads, void (*wake)(void *),
    void *arg)
{
	struct signer *s = xcalloc(1, sizeof(*s));
	int i, e;

	s->dkim = d;
	s->wake = wake;
	s->arg = arg;
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->work, NULL);
	pthread_cond_init(&s->done, NULL);
	if (threads < 1 || threads > SIGNER_THREADS_MAX)
		BUG("signer_start: a number of threads out of range");
	for (i = 0; i < threads; i++) {
		e = pthread_create(&s->threads[i], NULL, signing, s);
		if (e != 0) {
			errno = e;
			log_warn("cannot start a signing thread");
			signer_stop(s);
			return NULL;
		}
		s->nthreads++;
	}
	return s;
}

void
signer_submit(struct signer *s, struct buf *msg, _Atomic int *state)
{
	atomic_store(state, SIGNER_PENDING);
	pthread_mutex_lock(&s->lock);
	while (s->count == JOBS_MAX)
		pthread_cond_wait(&s->done, &s->lock);
	s->jobs[(s->head + s->count) % JOBS_MAX] = (struct job){ msg, state };
	s->count++;
	pthread_cond_signal(&s->work);
	pthread_mutex_unlock(&s->lock);
}

void
signer_wait(struct signer *s)
{
	struct timespec until;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += 1;
	pthread_mutex_lock(&s->lock);
	/* A signature finished since the last wait is news already: the
	 * caller looked at its flights after that wait, not after this. */
	while (s->finished == s->waited && pthread_cond_timedwait(&s->done,
	    &s->lock, &until) == 0)
		;
	s->waited = s->finished;
	pthread_mutex_unlock(&s->lock);
}

void
signer_stop(struct signer *s)
{
	int i;

	if (s == NULL)
		return;
	pthread_mutex_lock(&s->lock);
	s->stopping = 1;
	pthread_cond_broadcast(&s->work);
	pthread_mutex_unlock(&s->lock);
	for (i = 0; i < s->nthreads; i++)
		pthread_join(s->threads[i], NULL);
	pthread_mutex_destroy(&s->lock);
	pthread_cond_destroy(&s->work);
	pthread_cond_destroy(&s->done);
	free(s);
}
