/*
 * web: the HTTP server of tocsin web, on libmicrohttpd, in one thread:
 * it accepts connections on a loopback (or configured) address, reads
 * each request with its query token and its form (urlencoded or
 * multipart, through libmicrohttpd's post processor) under a size
 * limit, hands it to the application's handler, and sends the answer
 * with the security headers every response carries. It logs one
 * key=value line a request, never its query string (the token) nor a
 * form value. It knows nothing of lists or actions.
 */
#ifndef TOCSIN_WEB_H
#define TOCSIN_WEB_H

#include <signal.h>
#include <stddef.h>

#include "buf.h"

#define WEB_BODY_MAX		(16 * 1024)	/* a form, not an upload */
#define WEB_FIELDS_MAX		16
#define WEB_FIELD_MAX		2048		/* bytes of one value */
#define WEB_PATH_MAX		256
#define WEB_TOKEN_MAX		96
#define WEB_PAGE_MAX		(4 * 1024 * 1024)
#define WEB_TIMEOUT_SEC		30

enum web_method {
	WEB_GET,
	WEB_HEAD,
	WEB_POST,
	WEB_OTHER,
};

struct web_field {
	char	key[32];
	char	value[WEB_FIELD_MAX];
	size_t	len;
};

struct web_request {
	enum web_method	 method;
	char		 path[WEB_PATH_MAX];	/* without the query */
	char		 token[WEB_TOKEN_MAX];	/* ?t=, or "" */
	char		 more[16];		/* ?shown=, or "" */
	char		 ip[64];		/* the client's address */
	int		 form;		/* a form body was sent and read */
	int		 bad_form;	/* a body that is no form we read */
	struct web_field fields[WEB_FIELDS_MAX];
	size_t		 nfields;
};

struct web_response {
	int		 status;
	const char	*content_type;	/* static */
	int		 no_store;	/* Cache-Control: no-store */
	const char	*allow;		/* for 405 */
	int		 any_origin;	/* Access-Control-Allow-Origin: * */
	struct buf	 body;
};

/* The value of form field `key`, or NULL. */
const char *web_field(const struct web_request *rq, const char *key);

typedef void (*web_handler)(void *app, const struct web_request *rq,
    struct web_response *rs);

/*
 * Serves on `listen` ("127.0.0.1:8080", "[::1]:8080") until *stop is
 * set, calling `handler` for each request. 0 when stopped, -1 (logged:
 * the address cannot be used, a config failure).
 */
int	web_serve(const char *listen, web_handler handler, void *app,
	    volatile sig_atomic_t *stop);

#endif
