// Shim for ncursesw. SwiftPM drops pkg-config's -D flags, so the wide-character
// defines live here, before the header is included.
#ifndef MLWB_CNCURSES_SHIM_H
#define MLWB_CNCURSES_SHIM_H
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <locale.h>
#include <ncursesw/curses.h>
#include <ncursesw/term.h>

// C globals and macros are not visible (or not concurrency-safe) from Swift 6:
// expose them through static inline accessors.
static inline WINDOW *mlwb_stdscr(void) { return stdscr; }
static inline int mlwb_cols(void) { return COLS; }
static inline int mlwb_lines(void) { return LINES; }
static inline int mlwb_colors(void) { return COLORS; }
static inline int mlwb_color_pairs(void) { return COLOR_PAIRS; }
static inline attr_t mlwb_a_bold(void) { return A_BOLD; }
static inline attr_t mlwb_a_reverse(void) { return A_REVERSE; }
static inline attr_t mlwb_a_underline(void) { return A_UNDERLINE; }
static inline attr_t mlwb_a_dim(void) { return A_DIM; }
static inline attr_t mlwb_color_pair(int n) { return COLOR_PAIR(n); }
static inline int mlwb_key_resize(void) { return KEY_RESIZE; }
static inline int mlwb_set_all_locales(void) { return setlocale(LC_ALL, "") != NULL; }

/// Number of colours the terminfo entry for `term` (NULL: $TERM) declares, or -1.
static inline int mlwb_terminfo_colors(const char *term) {
    int err = 0;
    if (setupterm(term, -1, &err) != OK) { return -1; }
    int n = tigetnum("colors");
    del_curterm(cur_term);
    return n;
}
#endif
