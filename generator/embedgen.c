/*
 * embedgen FILE... > embedded.c
 * Writes a C file that holds each FILE's bytes, sorted by name.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int
cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
main(int argc, char *argv[])
{
	int i, c;
	long n;
	FILE *f;

	qsort(argv + 1, (size_t)argc - 1, sizeof(char *), cmp);
	puts("/* Written by embedgen: do not edit. */\n"
	    "#include <string.h>\n\n#include \"embedded.h\"\n");
	for (i = 1; i < argc; i++) {
		if ((f = fopen(argv[i], "rb")) == NULL) {
			perror(argv[i]);
			return 1;
		}
		printf("static const unsigned char f%d[] = {", i);
		for (n = 0; (c = getc(f)) != EOF; n++)
			printf("%s%d,", n % 20 == 0 ? "\n" : "", c);
		puts("0\n};");
		fclose(f);
	}
	puts("\nconst struct embedded embedded_files[] = {");
	for (i = 1; i < argc; i++)
		printf("\t{ \"%s\", f%d, sizeof(f%d) - 1 },\n", argv[i], i, i);
	printf("};\n\nconst size_t embedded_count = %d;\n\n", argc - 1);
	puts("const struct embedded *\n"
	    "embedded_find(const char *name)\n"
	    "{\n"
	    "\tsize_t lo = 0, hi = embedded_count, mid;\n"
	    "\tint c;\n\n"
	    "\twhile (lo < hi) {\n"
	    "\t\tmid = (lo + hi) / 2;\n"
	    "\t\tc = strcmp(name, embedded_files[mid].name);\n"
	    "\t\tif (c == 0)\n\t\t\treturn &embedded_files[mid];\n"
	    "\t\tif (c < 0)\n\t\t\thi = mid;\n\t\telse\n\t\t\tlo = mid + 1;\n"
	    "\t}\n\treturn NULL;\n}");
	return 0;
}
