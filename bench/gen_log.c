/* gen_log BINARY RECORDS STACKS OUT: writes a synthetic tsswatch log
 * (logformat/tsswatch_log.h, tsswatch-log(5)) of about RECORDS records,
 * STACKS distinct stacks of 8 frames at random places in BINARY's .text,
 * and one tsd-leak finding per stack (so every stack is symbolized), the
 * rest thread records (T, I, E), to time `tsswatch report` on big logs.
 * A version 1 log, without times, which the reader takes as it did. */
#include <elf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tsswatch_log.h"

#define FRAMES 8
#define KEYS 1000

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint64_t next_random(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* The .text section's address and size, from the section headers. */
static int text_of(const char *path, uint64_t *addr, uint64_t *size)
{
	FILE *f = fopen(path, "rb");
	Elf64_Ehdr eh;
	int ok = 0;
	if (!f)
		return 0;
	if (fread(&eh, sizeof eh, 1, f) == 1 && !memcmp(eh.e_ident, ELFMAG, SELFMAG) &&
	    eh.e_ident[EI_CLASS] == ELFCLASS64 && eh.e_shentsize == sizeof(Elf64_Shdr)) {
		Elf64_Shdr *sh = calloc(eh.e_shnum, sizeof *sh);
		char *names = NULL;
		if (sh && !fseek(f, (long)eh.e_shoff, SEEK_SET) &&
		    fread(sh, sizeof *sh, eh.e_shnum, f) == eh.e_shnum && eh.e_shstrndx < eh.e_shnum) {
			const Elf64_Shdr *st = &sh[eh.e_shstrndx];
			names = calloc(1, st->sh_size + 1);
			if (names && !fseek(f, (long)st->sh_offset, SEEK_SET) &&
			    fread(names, 1, st->sh_size, f) == st->sh_size)
				for (unsigned i = 0; i < eh.e_shnum && !ok; i++)
					if (sh[i].sh_name < st->sh_size &&
					    !strcmp(names + sh[i].sh_name, ".text")) {
						*addr = sh[i].sh_addr;
						*size = sh[i].sh_size;
						ok = *size > 0;
					}
		}
		free(names);
		free(sh);
	}
	fclose(f);
	return ok;
}

int main(int argc, char **argv)
{
	uint64_t text, size;
	if (argc != 5) {
		fputs("usage: gen_log BINARY RECORDS STACKS OUT\n", stderr);
		return 2;
	}
	long records = strtol(argv[2], NULL, 10), stacks = strtol(argv[3], NULL, 10);
	if (records < 10 || stacks < 1 || stacks + KEYS + 10 > records) {
		fputs("gen_log: want RECORDS >= STACKS + 1010\n", stderr);
		return 2;
	}
	if (!text_of(argv[1], &text, &size)) {
		fprintf(stderr, "gen_log: %s: no .text section in a 64-bit ELF file\n", argv[1]);
		return 1;
	}
	FILE *out = fopen(argv[4], "w");
	if (!out) {
		perror(argv[4]);
		return 1;
	}
	long n = 0;
	fprintf(out, "%s 1\n", TSW_LOG_SIGNATURE);
	fprintf(out, "P 4242 1 1700000000000000000 %s synthetic\n", argv[1]);
	fprintf(out, "O stack_depth=16 check_get=0 report_main=0\n");
	fprintf(out, "M 1 555555554000 %s\n", argv[1]);
	n += 3;
	for (long s = 1; s <= stacks; s++, n++) {
		fprintf(out, "S %ld", s);
		for (int f = 0; f < FRAMES; f++)
			fprintf(out, " 1:%llx", (unsigned long long)(text + 1 + next_random() % (size - 1)));
		fputc('\n', out);
	}
	for (long k = 1; k <= KEYS; k++, n++)
		fprintf(out, "K %ld %ld 0 %ld 1\n", k, k - 1, 1 + k % stacks);
	fprintf(out, "T 1 0 0 a\nI 1 7f0000001000 4242\n");
	n += 2;
	long serial = 2, finding = 0;
	while (n + 3 <= records - 2) {
		long create = 1 + next_random() % (uint64_t)stacks;
		fprintf(out, "T %ld 1 %ld j\n", serial, create);
		fprintf(out, "I %ld 7f%010lx %ld\n", serial, (serial % 64) * 0x800000ul, 4242 + serial % 30000);
		n += 2;
		if (finding < stacks && n + 2 <= records - 2) {
			finding++;
			fprintf(out, "F tsd-leak %ld %ld 5555%08lx 0 - set=%ld key_create=%ld thread_create=%ld\n",
				serial, 1 + finding % KEYS, finding * 16, finding, 1 + finding % stacks, create);
			n++;
		}
		fprintf(out, "E %ld returned worker\n", serial++);
		n++;
	}
	fprintf(out, "C threads_created=%ld threads_joined=%ld threads_detached=0 threads_peak_live=8 "
		"keys_created=%d keys_deleted=0 keys_peak_live=%d values_set=%ld destructor_calls=0 "
		"pthread_t_recycles=%ld tid_recycles=0\n", serial - 2, serial - 2, KEYS, KEYS, finding,
		serial - 2);
	fprintf(out, "X exit 0\n");
	n += 2;
	if (fclose(out)) {
		perror(argv[4]);
		return 1;
	}
	fprintf(stderr, "gen_log: %ld records, %ld stacks, %ld findings, %ld threads\n", n, stacks,
		finding, serial - 2);
	return 0;
}
