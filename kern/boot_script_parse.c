// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The boot script's parser (kern/boot_script.h, docs/boot.md): lines into
 * programs, arguments, function calls and bindings, with GNU Mach's rules
 * (its kern/boot_script.c, read for behaviour):
 *   - words are separated by blanks; the first is the program name;
 *   - "${" may start anywhere in a word: the text before it and the
 *     variable make one argument, and the text after its "}" starts a
 *     new argument;
 *   - "$(" is a call only where an argument would start (a word's start,
 *     or right after a "}" or ")"); elsewhere it is text. A call adds no
 *     argument, and "$(a=b=f)" binds a and b to f's result;
 * and ours on top: quotes group and are removed (GRUB sends a word with a
 * blank as "..."; a line from QEMU's -initrd keeps its '...'), "\\", "\'"
 * and "\"" outside single quotes stand for the quoted character (GRUB's
 * escapes), unknown functions and names bound twice are errors.
 * Nothing here calls back: tasks are made later (kern/boot_script.c).
 */
#include <stdarg.h>
#include <stdbool.h>

#include "kern/boot_script_impl.h"
#include "kern/kmalloc.h"
#include "kern/printf.h"
#include "kern/string.h"

static const char *const bs_func_names[] = {
    [BS_FN_TASK_CREATE] = "task-create",
    [BS_FN_TASK_RESUME] = "task-resume",
    [BS_FN_PROMPT_TASK_RESUME] = "prompt-task-resume",
    [BS_FN_RAMDISK_CREATE] = "ramdisk-create",
};
#define BS_NFUNCS (sizeof(bs_func_names) / sizeof(bs_func_names[0]))

/* The state of reading one line. */
struct lexer {
	struct boot_script *lx_bs;
	unsigned lx_line;
	const char *lx_raw; /* the line's copy in its pool */
	const char *lx_p;   /* next character */
	char lx_quote;      /* 0, '\'' or '"' */
	char *lx_out;       /* where the next text byte goes in the pool */
	unsigned lx_word;   /* current word number */
	unsigned lx_word_off;
	unsigned lx_resume_word, lx_resume_off; /* the first resume call, for its error */
	int lx_resume_fn;
	bool lx_failed;
};

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool
is_name_char(char c)
{
	return c > ' ' && c != 0x7f && !strchr("$(){}='\"\\", c);
}

static int
func_lookup(const char *name)
{
	for (unsigned i = 0; i < BS_NFUNCS; i++)
		if (!strcmp(name, bs_func_names[i]))
			return (int)i;
	return -1;
}

static int
var_lookup(const struct boot_script *bs, const char *name)
{
	for (unsigned i = 0; i < bs->bs_nvars; i++)
		if (!strcmp(bs->bs_vars[i].bv_name, name))
			return (int)i;
	return -1;
}

/* The variable named name, entered as unbound when new; -1 when full. */
static int
var_enter(struct boot_script *bs, const char *name)
{
	int v = var_lookup(bs, name);

	if (v >= 0)
		return v;
	if (bs->bs_nvars == BOOT_SCRIPT_VARS_MAX)
		return -1;
	v = (int)bs->bs_nvars++;
	strlcpy(bs->bs_vars[v].bv_name, name, sizeof(bs->bs_vars[v].bv_name));
	bs->bs_vars[v].bv_line = BS_UNBOUND;
	return v;
}

static void lex_fail(struct lexer *lx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Fails the line, naming the current word; further errors are ignored. */
static void
lex_fail(struct lexer *lx, const char *fmt, ...)
{
	char word[48], msg[96];
	va_list ap;

	if (lx->lx_failed)
		return;
	lx->lx_failed = true;
	va_start(ap, fmt);
	kvsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	bs_word_text(lx->lx_raw, lx->lx_word_off, word, sizeof(word));
	bs_line_fail(lx->lx_bs, lx->lx_line, "word %u '%s': %s", lx->lx_word, word, msg);
}

/* Consumes the quote characters at p that open or close a quote. */
static void
lex_quotes(struct lexer *lx)
{
	for (;;) {
		char c = *lx->lx_p;
		if (lx->lx_quote == 0 && (c == '\'' || c == '"'))
			lx->lx_quote = c;
		else if (c != 0 && c == lx->lx_quote)
			lx->lx_quote = 0;
		else
			return;
		lx->lx_p++;
	}
}

/* At the end of the word: the end of the line, or a blank outside quotes. */
static bool
lex_word_end(const struct lexer *lx)
{
	return *lx->lx_p == 0 || (lx->lx_quote == 0 && is_blank(*lx->lx_p));
}

static bool
at_dollar(const struct lexer *lx, char open)
{
	return lx->lx_p[0] == '$' && lx->lx_p[1] == open;
}

/*
 * Copies literal text into the pool up to the end of the word (or a "${"
 * when stop_at_ref), removing quotes and escapes; returns it terminated.
 */
static const char *
lex_text(struct lexer *lx, bool stop_at_ref)
{
	char *start = lx->lx_out;

	for (;;) {
		lex_quotes(lx);
		if (lex_word_end(lx) || (stop_at_ref && at_dollar(lx, '{')))
			break;
		char c = *lx->lx_p++;
		if (c == '\\' && lx->lx_quote != '\'' && *lx->lx_p && strchr("\\'\"", *lx->lx_p))
			c = *lx->lx_p++;
		*lx->lx_out++ = c;
	}
	*lx->lx_out++ = 0;
	return start;
}

/*
 * Reads a name up to one of the terminators in ends into name; returns the
 * terminator (consumed), or 0 after failing the line.
 */
static char
lex_name(struct lexer *lx, const char *ends, char *name)
{
	unsigned n = 0;

	for (;; lx->lx_p++) {
		char c = *lx->lx_p;
		if (c && strchr(ends, c))
			break;
		if (c == 0 || is_blank(c)) {
			lex_fail(lx, "missing '%c'", ends[strlen(ends) - 1]);
			return 0;
		}
		if (!is_name_char(c)) {
			lex_fail(lx, "bad character '%c' in a name", c);
			return 0;
		}
		if (n == BOOT_SCRIPT_NAME_MAX) {
			lex_fail(lx, "name longer than %u bytes", BOOT_SCRIPT_NAME_MAX);
			return 0;
		}
		name[n++] = c;
	}
	name[n] = 0;
	if (n == 0) {
		lex_fail(lx, "empty name");
		return 0;
	}
	return *lx->lx_p++;
}

static void
add_arg(struct lexer *lx, const char *text, int var)
{
	struct bs_line *l = &lx->lx_bs->bs_lines[lx->lx_line];

	if (l->bl_nargs == BOOT_SCRIPT_ARGS_MAX - 1) {
		lex_fail(lx, "more than %u arguments", BOOT_SCRIPT_ARGS_MAX);
		return;
	}
	l->bl_args[l->bl_nargs++] = (struct bs_arg){
	    .ba_text = text,
	    .ba_var = var,
	    .ba_word = (uint16_t)lx->lx_word,
	    .ba_raw_off = (uint16_t)lx->lx_word_off,
	};
}

/* "${name}" at p: the variable's index, or -1 after failing the line. */
static int
lex_ref(struct lexer *lx)
{
	char name[BOOT_SCRIPT_NAME_MAX + 1];
	char end;
	int v;

	lx->lx_p += 2;
	end = lex_name(lx, "=}", name);
	if (end == 0)
		return -1;
	if (end == '=') {
		lex_fail(lx, "'=' inside ${...}: bind with $(name=function)");
		return -1;
	}
	if (func_lookup(name) >= 0) {
		lex_fail(lx, "'%s' is a function: call it with $(%s)", name, name);
		return -1;
	}
	v = var_enter(lx->lx_bs, name);
	if (v < 0)
		lex_fail(lx, "more than %u variables", BOOT_SCRIPT_VARS_MAX);
	return v;
}

/* Binds name to the task of the current line. */
static void
lex_bind(struct lexer *lx, const char *name)
{
	struct boot_script *bs = lx->lx_bs;
	int v = var_enter(bs, name);

	if (v < 0) {
		lex_fail(lx, "more than %u variables", BOOT_SCRIPT_VARS_MAX);
		return;
	}
	struct bs_var *var = &bs->bs_vars[v];
	if (var->bv_line == BS_CALLER_VAR)
		lex_fail(lx, "cannot bind '%s': it is given by the kernel", name);
	else if (var->bv_line != BS_UNBOUND)
		lex_fail(lx, "'%s' is bound twice (module %d first)", name, var->bv_line);
	else
		var->bv_line = (int)lx->lx_line;
}

/* The call f with the names before it in binds[0..nbinds). */
static void
lex_apply_call(struct lexer *lx, int f, char binds[][BOOT_SCRIPT_NAME_MAX + 1], unsigned nbinds)
{
	struct bs_line *l = &lx->lx_bs->bs_lines[lx->lx_line];

	if (f == BS_FN_TASK_CREATE) {
		if (l->bl_creates_task) {
			lex_fail(lx, "task-create twice on one line");
			return;
		}
		l->bl_creates_task = true;
		for (unsigned i = 0; i < nbinds && !lx->lx_failed; i++)
			lex_bind(lx, binds[i]);
		return;
	}
	if (nbinds) {
		lex_fail(lx, "'%s' gives no value to bind to '%s'", bs_func_names[f], binds[0]);
		return;
	}
	if (l->bl_ndeferred == BS_DEFERRED_MAX) {
		lex_fail(lx, "more than %u functions on one line", BS_DEFERRED_MAX);
		return;
	}
	if (f != BS_FN_RAMDISK_CREATE && lx->lx_resume_word == 0) {
		lx->lx_resume_word = lx->lx_word;
		lx->lx_resume_off = lx->lx_word_off;
		lx->lx_resume_fn = f;
	}
	l->bl_deferred[l->bl_ndeferred++] = (uint8_t)f;
}

/* "$(a=b=function)" at p. */
static void
lex_call(struct lexer *lx)
{
	char binds[4][BOOT_SCRIPT_NAME_MAX + 1];
	char name[BOOT_SCRIPT_NAME_MAX + 1];
	unsigned nbinds = 0;
	int f;

	lx->lx_p += 2;
	for (;;) {
		char end = lex_name(lx, "=)", name);
		if (end == 0)
			return;
		f = func_lookup(name);
		if (end == ')')
			break;
		if (f >= 0) {
			lex_fail(lx, "cannot bind '%s': it is a function", name);
			return;
		}
		if (nbinds == 4) {
			lex_fail(lx, "more than 4 names bound at once");
			return;
		}
		strlcpy(binds[nbinds++], name, sizeof(binds[0]));
	}
	if (f < 0) {
		lex_fail(lx, "unknown function '%s'", name);
		return;
	}
	lex_apply_call(lx, f, binds, nbinds);
}

/* One word after argv[0]: its calls, references and texts. */
static void
lex_word(struct lexer *lx)
{
	while (!lx->lx_failed) {
		lex_quotes(lx);
		if (lex_word_end(lx))
			return;
		if (at_dollar(lx, '(')) {
			lex_call(lx);
		} else if (at_dollar(lx, '{')) {
			int v = lex_ref(lx);
			if (v >= 0)
				add_arg(lx, "", v);
		} else {
			const char *text = lex_text(lx, true);
			int v = -1;
			if (at_dollar(lx, '{') && (v = lex_ref(lx)) < 0)
				return;
			add_arg(lx, text, v);
		}
	}
}

static void
skip_blanks(struct lexer *lx)
{
	while (is_blank(*lx->lx_p))
		lx->lx_p++;
}

/* Parses the line in the pool (already copied to lx_raw). */
static void
lex_line(struct lexer *lx)
{
	struct bs_line *l = &lx->lx_bs->bs_lines[lx->lx_line];

	skip_blanks(lx);
	lx->lx_word_off = (unsigned)(lx->lx_p - lx->lx_raw);
	l->bl_path = lex_text(lx, false);
	for (;;) {
		if (lx->lx_quote) {
			lex_fail(lx, "unterminated quote");
			return;
		}
		if (!*l->bl_path) {
			lex_fail(lx, "empty program name");
			return;
		}
		skip_blanks(lx);
		if (*lx->lx_p == 0 || lx->lx_failed)
			break;
		lx->lx_word++;
		lx->lx_word_off = (unsigned)(lx->lx_p - lx->lx_raw);
		lex_word(lx);
	}
	/* A resume needs the line's task, wherever task-create is written. */
	if (lx->lx_resume_word && !l->bl_creates_task && !lx->lx_failed) {
		lx->lx_word = lx->lx_resume_word;
		lx->lx_word_off = lx->lx_resume_off;
		lex_fail(lx, "%s without task-create on the same line",
		         bs_func_names[lx->lx_resume_fn]);
	}
}

/*
 * Line i from text: ignored when blank or a comment, else copied into its
 * pool and parsed. KERN_RESOURCE_SHORTAGE only when the pool cannot be had.
 */
static kern_return_t
parse_line(struct boot_script *bs, unsigned i, const char *text)
{
	struct bs_line *l = &bs->bs_lines[i];
	size_t len;
	const char *p = text;

	while (p && is_blank(*p))
		p++;
	if (!p || *p == 0 || *p == '#')
		return KERN_SUCCESS;
	l->bl_used = true;
	len = strnlen(text, BOOT_SCRIPT_LINE_MAX + 1);
	if (len > BOOT_SCRIPT_LINE_MAX) {
		bs_line_fail(bs, i, "line longer than %u bytes", BOOT_SCRIPT_LINE_MAX);
		return KERN_SUCCESS;
	}
	/* The copy, then texts: each at most its source bytes plus a NUL. */
	l->bl_pool = kmalloc(3 * len + 3);
	if (!l->bl_pool)
		return KERN_RESOURCE_SHORTAGE;
	memcpy(l->bl_pool, text, len + 1);
	l->bl_raw = l->bl_pool;
	struct lexer lx = {
	    .lx_bs = bs,
	    .lx_line = i,
	    .lx_raw = l->bl_raw,
	    .lx_p = l->bl_raw,
	    .lx_out = l->bl_pool + len + 1,
	};
	lex_line(&lx);
	return KERN_SUCCESS;
}

/* The caller's variables: valid names, once each, sensible values. */
static kern_return_t
enter_caller_vars(struct boot_script *bs, const struct boot_script_var *vars, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		const struct boot_script_var *cv = &vars[i];
		size_t len = cv->bv_name ? strnlen(cv->bv_name, BOOT_SCRIPT_NAME_MAX + 1) : 0;

		if (len == 0 || len > BOOT_SCRIPT_NAME_MAX || func_lookup(cv->bv_name) >= 0 ||
		    var_lookup(bs, cv->bv_name) >= 0)
			return KERN_INVALID_ARGUMENT;
		for (size_t j = 0; j < len; j++)
			if (!is_name_char(cv->bv_name[j]))
				return KERN_INVALID_ARGUMENT;
		if (!(cv->bv_kind == BOOT_SCRIPT_STRING && cv->bv_string) &&
		    !(cv->bv_kind == BOOT_SCRIPT_PORT))
			return KERN_INVALID_ARGUMENT;
		int v = var_enter(bs, cv->bv_name);
		bs->bs_vars[v].bv_line = BS_CALLER_VAR;
		bs->bs_vars[v].bv_kind = cv->bv_kind;
		bs->bs_vars[v].bv_string = cv->bv_string;
		bs->bs_vars[v].bv_object = cv->bv_object;
	}
	return KERN_SUCCESS;
}

kern_return_t
boot_script_parse(const char *const lines[], unsigned count, const struct boot_script_var vars[],
                  unsigned nvars, struct boot_script **out)
{
	struct boot_script *bs;
	kern_return_t kr;

	if (!out || (count && !lines) || (nvars && !vars) || count > BOOT_MODULES_MAX ||
	    nvars > BOOT_SCRIPT_VARS_MAX)
		return KERN_INVALID_ARGUMENT;
	*out = NULL;
	bs = kzalloc(sizeof(*bs));
	if (!bs)
		return KERN_RESOURCE_SHORTAGE;
	bs->bs_nlines = count;
	kr = enter_caller_vars(bs, vars, nvars);
	for (unsigned i = 0; i < count && kr == KERN_SUCCESS; i++)
		kr = parse_line(bs, i, lines[i]);
	if (kr != KERN_SUCCESS) {
		boot_script_free(bs);
		return kr;
	}
	*out = bs;
	return KERN_SUCCESS;
}

void
bs_word_text(const char *raw, unsigned off, char *buf, size_t size)
{
	const char *p = raw + off;
	size_t n = 0;
	char quote = 0;

	for (; *p && (quote || !is_blank(*p)) && n + 1 < size; p++) {
		if (quote == 0 && (*p == '\'' || *p == '"'))
			quote = *p;
		else if (*p == quote)
			quote = 0;
		buf[n++] = *p;
	}
	/* A word cut short ends in "...". */
	if (*p && (quote || !is_blank(*p)) && size >= 4) {
		n = n < size - 4 ? n : size - 4;
		memcpy(buf + n, "...", 3);
		n += 3;
	}
	buf[n] = 0;
}

void
bs_line_fail(struct boot_script *bs, unsigned i, const char *fmt, ...)
{
	struct bs_line *l = &bs->bs_lines[i];
	char msg[BOOT_SCRIPT_ERROR_MAX];
	va_list ap;

	if (l->bl_failed)
		return;
	l->bl_failed = true;
	va_start(ap, fmt);
	kvsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (l->bl_path && *l->bl_path)
		ksnprintf(l->bl_error, sizeof(l->bl_error), "module %u (%s): %s", i, l->bl_path,
		          msg);
	else
		ksnprintf(l->bl_error, sizeof(l->bl_error), "module %u: %s", i, msg);
}

void
boot_script_free(struct boot_script *bs)
{
	if (!bs)
		return;
	for (unsigned i = 0; i < bs->bs_nlines; i++) {
		kfree(bs->bs_lines[i].bl_argv);
		kfree(bs->bs_lines[i].bl_pool);
	}
	kfree(bs);
}
