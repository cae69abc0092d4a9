/* fold: text as the phrase tables are written (see fold.h). */
#include "fold.h"

/*
 * What folding makes of each byte: its lower case, or 0 for white space
 * as isspace() has it in the C locale. A table: folding runs over every
 * byte of every report.
 */
static const unsigned char fold_byte[256] = {
#define F4(c)	(c), (c) + 1, (c) + 2, (c) + 3
#define F16(c)	F4(c), F4((c) + 4), F4((c) + 8), F4((c) + 12)
	/* 0x00-0x0f: \t \n \v \f \r are white space */
	0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
	0x08, 0, 0, 0, 0, 0, 0x0e, 0x0f,
	F16(0x10),
	0, 0x21, 0x22, 0x23, F4(0x24), F4(0x28), F4(0x2c),	/* ' ' */
	F16(0x30),
	0x40, F4('a'), F4('e'), F4('i'), 'm', 'n', 'o',		/* A-O */
	F4('p'), F4('t'), 'x', 'y', 'z', 0x5b, F4(0x5c),	/* P-Z */
	F16(0x60), F16(0x70), F16(0x80), F16(0x90), F16(0xa0), F16(0xb0),
	F16(0xc0), F16(0xd0), F16(0xe0), F16(0xf0),
#undef F16
#undef F4
};

void
fold_text(const char *text, size_t len, char *out, size_t outsize)
{
	const unsigned char *t = (const unsigned char *)text;
	size_t i, o = 0;
	int space = 0;

	if (outsize == 0)
		return;
	for (i = 0; i < len && t[i] != '\0' && o + 1 < outsize; i++) {
		unsigned char c = fold_byte[t[i]];

		if (c == 0) {
			space = o > 0;
			continue;
		}
		if (space && o + 2 < outsize)
			out[o++] = ' ';
		space = 0;
		out[o++] = (char)c;
	}
	out[o] = '\0';
}
