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
#include <wchar.h>
#include <signal.h>
#include <termios.h>
#include <unistd.h>
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

/// A hash of the characters of stdscr's `row` as drawn since the last refresh (what ncurses'
/// scroll optimisation compares lines by: their characters, not their attributes).
static inline unsigned long long mlwb_row_text_hash(int row) {
    int cols = COLS;
    if (cols <= 0 || row < 0 || row >= LINES) { return 0; }
    unsigned long long hash = 1469598103934665603ULL;
    for (int col = 0; col < cols; col++) {
        cchar_t cell;
        if (mvwin_wch(stdscr, row, col, &cell) == ERR) { break; }
        hash = (hash ^ (unsigned long long)cell.chars[0]) * 1099511628211ULL;
    }
    return hash;
}

/// Number of colours the terminfo entry for `term` (NULL: $TERM) declares, or -1.
static inline int mlwb_terminfo_colors(const char *term) {
    int err = 0;
    if (setupterm(term, -1, &err) != OK) { return -1; }
    int n = tigetnum("colors");
    del_curterm(cur_term);
    return n;
}
// MARK: Additions for the workbench (Sources/TUI)

/// Display width of a Unicode scalar in the current locale (-1 if not printable).
static inline int mlwb_wcwidth(unsigned int c) { return wcwidth((wchar_t)c); }
static inline int mlwb_key_btab(void) { return KEY_BTAB; }
static inline int mlwb_key_up(void) { return KEY_UP; }
static inline int mlwb_key_down(void) { return KEY_DOWN; }
static inline int mlwb_key_left(void) { return KEY_LEFT; }
static inline int mlwb_key_right(void) { return KEY_RIGHT; }
static inline int mlwb_key_home(void) { return KEY_HOME; }
static inline int mlwb_key_end(void) { return KEY_END; }
static inline int mlwb_key_ppage(void) { return KEY_PPAGE; }
static inline int mlwb_key_npage(void) { return KEY_NPAGE; }
static inline int mlwb_key_backspace(void) { return KEY_BACKSPACE; }
static inline int mlwb_key_dc(void) { return KEY_DC; }
static inline int mlwb_key_enter(void) { return KEY_ENTER; }
static inline int mlwb_key_f0(void) { return KEY_F0; }
static inline int mlwb_key_code_yes(void) { return KEY_CODE_YES; }
static inline int mlwb_err(void) { return ERR; }
static inline attr_t mlwb_a_normal(void) { return A_NORMAL; }
static inline WINDOW *mlwb_curscr(void) { return curscr; }

/// Reads one key (wide character or key code) from stdscr; returns the wget_wch status.
static inline int mlwb_get_wch(unsigned int *out) {
    wint_t ch = 0;
    int rc = wget_wch(stdscr, &ch);
    *out = (unsigned int)ch;
    return rc;
}

/// Writes UTF-8 text at (row, col) with attributes and an extended colour pair.
static inline void mlwb_put(int row, int col, const char *text, int n, attr_t attrs, int pair) {
    wattr_set(stdscr, attrs, (short)(pair < 32767 ? pair : 0), pair >= 32767 ? &pair : NULL);
    mvwaddnstr(stdscr, row, col, text, n);
}

/// Sets the background of stdscr to a colour pair.
static inline void mlwb_set_background(int pair, attr_t attrs) {
    wbkgdset(stdscr, (chtype)(' ' | attrs | COLOR_PAIR(pair)));
}

/// Installs `handler` for `sig` with sigaction (no SA_RESTART, so blocking reads return).
static inline int mlwb_install_signal(int sig, void (*handler)(int)) {
    struct sigaction sa;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;
    sa.sa_handler = handler;
    return sigaction(sig, &sa, NULL);
}

/// Restores the default action for `sig` and raises it again (after a last-resort cleanup).
static inline void mlwb_reraise(int sig) {
    signal(sig, SIG_DFL);
    raise(sig);
}

// MARK: Mouse

/// Asks for left-button presses and wheel turns, reported at once (no click resolution delay);
/// returns whether the terminal can report the mouse at all.
static inline int mlwb_enable_mouse(void) {
    mmask_t wanted = BUTTON1_PRESSED | BUTTON4_PRESSED | BUTTON5_PRESSED;
    mouseinterval(0);
    return mousemask(wanted, NULL) != 0;
}
/// Stops mouse reporting (the terminal's own selection works again).
static inline void mlwb_disable_mouse(void) { mousemask(0, NULL); }
static inline int mlwb_key_mouse(void) { return KEY_MOUSE; }

/// The mouse event behind a KEY_MOUSE: cell and kind (1 left press, 4 wheel up, 5 wheel down,
/// 0 anything else); returns 0 when there is none.
static inline int mlwb_get_mouse(int *row, int *column, int *kind) {
    MEVENT event;
    if (getmouse(&event) != OK) { return 0; }
    *row = event.y;
    *column = event.x;
    if (event.bstate & BUTTON1_PRESSED) { *kind = 1; }
    else if (event.bstate & BUTTON4_PRESSED) { *kind = 4; }
    else if (event.bstate & BUTTON5_PRESSED) { *kind = 5; }
    else { *kind = 0; }
    return 1;
}

#endif
