// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kern/string.c as host tests link it: its functions that carry libc's
 * names are renamed, so the program keeps the host's own (which ASan
 * intercepts); strlcpy (glibc 2.36 has none), parse_u64 and
 * hex_digit_value keep their names.
 */
#define memcpy kstr_memcpy
#define memmove kstr_memmove
#define memset kstr_memset
#define memcmp kstr_memcmp
#define strlen kstr_strlen
#define strnlen kstr_strnlen
#define strcmp kstr_strcmp
#define strncmp kstr_strncmp
#define strchr kstr_strchr
#include "kern/string.c"
