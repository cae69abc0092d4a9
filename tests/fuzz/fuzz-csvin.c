/* libFuzzer: any bytes as a CSV file, through csvin and address checks. */
#include <stdint.h>
#include <stdio.h>

#include "addr.h"
#include "csvin.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char email[ADDR_MAX_LEN + 1];
	struct csvin_row row;
	struct csvin in;
	const char *why;
	FILE *fp;
	size_t i;

	if (size == 0)
		return 0;
	fp = fmemopen((void *)data, size, "r");
	if (fp == NULL)
		return 0;
	csvin_init(&in, fp);
	while (csvin_next(&in, &row) >= CSVIN_ROW) {
		for (i = 0; i < row.nfields; i++)
			(void)addr_normalise(row.fields[i], row.lens[i], email,
			    &why);
	}
	csvin_release(&in);
	fclose(fp);
	return 0;
}
