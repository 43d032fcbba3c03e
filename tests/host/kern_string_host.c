// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kern/string.c as host tests link it: its functions that carry libc's
 * names are renamed, so the program keeps the host's own (which ASan
 * intercepts); parse_u64 and hex_digit_value keep their names.
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
#define strlcpy kstr_strlcpy
#include "kern/string.c"
