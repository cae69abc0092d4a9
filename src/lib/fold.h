/*
 * fold: text made comparable with the phrase tables of the classifier,
 * the reply reader and the providers: lower case (ASCII only: other
 * bytes pass as they are), and each run of white space one space, none
 * at either end.
 */
#ifndef TOCSIN_FOLD_H
#define TOCSIN_FOLD_H

#include <stddef.h>

/*
 * Writes text[0..len) (up to a NUL) folded into out (outsize bytes,
 * always terminated when outsize > 0).
 */
void	fold_text(const char *text, size_t len, char *out, size_t outsize);

#endif
