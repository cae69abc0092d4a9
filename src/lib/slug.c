/* slug: names safe for links and headers (see slug.h). */
#include <string.h>

#include "slug.h"

const char *
slug_problem(const char *s)
{
	size_t i, len = strlen(s);

	if (len == 0 || len > SLUG_MAX)
		return "it must have 1 to 64 characters";
	if (s[0] == '.' || s[0] == '-')
		return "it must not start with '.' or '-'";
	for (i = 0; i < len; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '_' || c == '.'))
			return "it may hold only a-z, 0-9, '-', '_' and '.'";
	}
	return NULL;
}
