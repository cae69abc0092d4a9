/* webaction: the petition pages of tocsin web (see webapp.h). */
#include <string.h>

#include "webapp.h"

void
webaction_handle(struct webapp *a, const struct web_request *rq,
    struct web_response *rs)
{
	(void)rq;
	webapp_message(a, rs, 404, "Not found", "There is no such page.");
}
